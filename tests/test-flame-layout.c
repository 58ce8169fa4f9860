/* test-flame-layout.c: flame graph layout, search, transforms and colours */
#include <math.h>

#include "sp-analysis.h"
#include "sp-flame-colors.h"
#include "sp-flame-layout.h"
#include "sp-profile-transform.h"
#include "sp-test-util.h"

static const char * const demo[] = {
  "main;run;fib;fib;fib 6",
  "main;run;fib;fib 2",
  "main;run;fib;helper;fib 2",
  "main;run;cons 5",
  "main;alpha 1",
  "main 1",
  "other;zeta 3",
  NULL
};

static const char *
rect_name (SpProfile         *p,
           const SpFlameRect *rect)
{
  if (rect->node == SP_NO_NODE)
    return "all";
  return sp_profile_get_frame (p, sp_profile_get_node_frames (p)[rect->node])->name;
}

static SpFlameLayout *
layout_new (SpProfile    *p,
            guint32       zoom,
            SpFlameOrder  order)
{
  SpFlameLayoutOptions options;

  sp_flame_layout_options_init (&options);
  options.zoom_node = zoom;
  options.order = order;
  return sp_flame_layout_new (p, &options);
}

static guint32
node_of_path (SpProfile  *p,
              const char *path)
{
  for (guint32 i = 0; i < sp_profile_get_n_nodes (p); i++)
    {
      g_autofree char *s = sp_test_node_path (p, i);
      if (g_str_equal (s, path))
        return i;
    }
  g_assert_not_reached ();
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The profile as sorted "a;b;c self" lines, to compare trees. */
static char *
dump_profile (SpProfile *p)
{
  const double *self = sp_profile_get_self_weights (p, SP_METRIC_SAMPLES);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint32 i = 0; i < sp_profile_get_n_nodes (p); i++)
    {
      g_autofree char *path = sp_test_node_path (p, i);
      if (self[i] > 0)
        g_ptr_array_add (lines, g_strdup_printf ("%s %g", path, self[i]));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s%s", i ? "\n" : "", (char *) lines->pdata[i]);
  return g_string_free (out, FALSE);
}

static void
test_layout_whole (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  g_autoptr(SpFlameLayout) layout = layout_new (p, SP_NO_NODE, SP_FLAME_ORDER_LEFT_HEAVY);
  const SpFlameRect *r;
  guint first, n;

  g_assert_cmpfloat (sp_flame_layout_get_root_weight (layout), ==, 20);
  /* all, main|other, run|alpha|zeta, fib|cons, fib|helper, fib|fib */
  g_assert_cmpuint (sp_flame_layout_get_n_rows (layout), ==, 6);
  g_assert_cmpuint (sp_flame_layout_get_n_rects (layout), ==, sp_profile_get_n_nodes (p) + 1);

  r = sp_flame_layout_get_rect (layout, 0);
  g_assert_cmpstr (rect_name (p, r), ==, "all");
  g_assert_cmpfloat (r->x0, ==, 0);
  g_assert_cmpfloat (r->x1, ==, 1);

  first = sp_flame_layout_get_row (layout, 1, &n);
  g_assert_cmpuint (n, ==, 2);
  r = sp_flame_layout_get_rect (layout, first);
  g_assert_cmpstr (rect_name (p, r), ==, "main");
  g_assert_cmpfloat_with_epsilon (r->x1, 17.0 / 20, 1e-12);
  r = sp_flame_layout_get_rect (layout, first + 1);
  g_assert_cmpstr (rect_name (p, r), ==, "other");
  g_assert_cmpfloat_with_epsilon (r->x0, 17.0 / 20, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->x1, 1, 1e-12);

  /* left heavy: run (15) before alpha (1), then zeta under other */
  first = sp_flame_layout_get_row (layout, 2, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first)), ==, "run");
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first + 1)), ==, "alpha");
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first + 2)), ==, "zeta");

  /* every row is sorted and every rect lies inside its parent */
  for (guint i = 1; i < sp_flame_layout_get_n_rects (layout); i++)
    {
      const SpFlameRect *rect = sp_flame_layout_get_rect (layout, i);
      const SpFlameRect *prev = sp_flame_layout_get_rect (layout, i - 1);
      const SpFlameRect *parent = sp_flame_layout_get_rect (layout, sp_flame_layout_get_parent (layout, i));

      if (prev->row == rect->row)
        g_assert_cmpfloat (prev->x1, <=, rect->x0 + 1e-12);
      g_assert_cmpfloat (parent->x0, <=, rect->x0 + 1e-12);
      g_assert_cmpfloat (parent->x1, >=, rect->x1 - 1e-12);
      g_assert_cmpuint (parent->row + 1, ==, rect->row);
    }
}

static void
test_layout_alphabetical (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  g_autoptr(SpFlameLayout) layout = layout_new (p, SP_NO_NODE, SP_FLAME_ORDER_ALPHABETICAL);
  guint first, n;

  first = sp_flame_layout_get_row (layout, 2, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first)), ==, "alpha");
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first + 1)), ==, "run");
  first = sp_flame_layout_get_row (layout, 3, &n);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first)), ==, "cons");
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, first + 1)), ==, "fib");
}

static void
test_layout_zoom (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  guint32 fib = node_of_path (p, "main;run;fib");
  g_autoptr(SpFlameLayout) layout = layout_new (p, fib, SP_FLAME_ORDER_LEFT_HEAVY);
  const SpFlameRect *r;
  guint first, n;

  g_assert_cmpfloat (sp_flame_layout_get_root_weight (layout), ==, 10);
  /* all, main, run, fib at full width */
  for (guint row = 0; row < 4; row++)
    {
      first = sp_flame_layout_get_row (layout, row, &n);
      g_assert_cmpuint (n, ==, 1);
      r = sp_flame_layout_get_rect (layout, first);
      g_assert_cmpfloat (r->x0, ==, 0);
      g_assert_cmpfloat (r->x1, ==, 1);
    }
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, 2)), ==, "run");
  g_assert_cmpuint (sp_flame_layout_get_rect (layout, 3)->node, ==, fib);

  /* fib;fib has 8 of 10, helper 2 */
  first = sp_flame_layout_get_row (layout, 4, &n);
  g_assert_cmpuint (n, ==, 2);
  r = sp_flame_layout_get_rect (layout, first);
  g_assert_cmpfloat_with_epsilon (r->x1 - r->x0, 0.8, 1e-12);
  r = sp_flame_layout_get_rect (layout, first + 1);
  g_assert_cmpstr (rect_name (p, r), ==, "helper");
  g_assert_cmpfloat_with_epsilon (r->x1, 1, 1e-12);
  /* nothing of "other" or "cons" is laid out */
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "other")), ==, -1);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "main;run;cons")), ==, -1);
}

static void
test_layout_threshold (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  SpFlameLayoutOptions options;
  g_autoptr(SpFlameLayout) layout = NULL;
  g_autoptr(SpFlameLayout) narrow = NULL;

  sp_flame_layout_options_init (&options);
  options.threshold = 0.11;   /* 2.2 samples: alpha (1) and the 2-sample frames go */
  layout = sp_flame_layout_new (p, &options);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "main;alpha")), ==, -1);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "main;run;fib;helper")), ==, -1);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "other;zeta")), >=, 0);

  /* min_fraction is relative to the zoom root: under fib (10), 0.25 keeps fib;fib only */
  options.threshold = 0;
  options.min_fraction = 0.25;
  options.zoom_node = node_of_path (p, "main;run;fib");
  narrow = sp_flame_layout_new (p, &options);
  g_assert_cmpint (sp_flame_layout_find_node (narrow, node_of_path (p, "main;run;fib;helper")), ==, -1);
  g_assert_cmpint (sp_flame_layout_find_node (narrow, node_of_path (p, "main;run;fib;fib")), >=, 0);
}

static void
test_layout_range (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  SpFlameLayoutOptions options;
  g_autoptr(SpFlameLayout) layout = NULL;
  guint first, n;

  /* only what meets [0.8, 1): other (from 0.85), and alpha's end is at 0.8 exactly */
  sp_flame_layout_options_init (&options);
  options.x_min = 0.8;
  layout = sp_flame_layout_new (p, &options);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "other;zeta")), >=, 0);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "main")), >=, 0);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "main;alpha")), ==, -1);
  g_assert_cmpint (sp_flame_layout_find_node (layout, node_of_path (p, "main;run;fib")), ==, -1);

  /* the lower bound and its forward form agree */
  first = sp_flame_layout_get_row (layout, 1, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (sp_flame_layout_row_lower_bound (layout, 1, 0.9), ==, first + 1);
  g_assert_cmpuint (sp_flame_layout_row_advance (layout, 1, first, 0.9), ==, first + 1);
  g_assert_cmpuint (sp_flame_layout_row_advance (layout, 1, first + 1, 0.1), ==, first + 1);
  g_assert_cmpuint (sp_flame_layout_row_lower_bound (layout, 1, 2.0), ==, first + 2);
  g_assert_cmpuint (sp_flame_layout_row_lower_bound (layout, 1, -1.0), ==, first);
}

/* A wide row, where the bucket index narrows the search: it must agree with a plain scan. */
static void
test_layout_wide_row (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpFlameLayout) layout = NULL;
  SpFlameLayoutOptions options;
  guint first, n;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);
      guint32 frames[2] = { sp_profile_builder_intern_frame (builder, "root", -1),
                            sp_profile_builder_intern_frame (builder, name, -1) };
      double weights[SP_N_METRICS] = { 1 + (i * 7919) % 97 };

      sp_profile_builder_add_stack (builder, frames, 2, FALSE, weights);
    }
  p = sp_profile_builder_end (builder);
  sp_flame_layout_options_init (&options);
  layout = sp_flame_layout_new (p, &options);
  first = sp_flame_layout_get_row (layout, 2, &n);
  g_assert_cmpuint (n, ==, 3000);

  for (guint k = 0; k <= 5000; k++)
    {
      double x = k / 5000.0;
      guint expected = first;

      while (expected < first + n && sp_flame_layout_get_rect (layout, expected)->x1 <= x)
        expected++;
      g_assert_cmpuint (sp_flame_layout_row_lower_bound (layout, 2, x), ==, expected);
      if (expected < first + n)
        g_assert_cmpint (sp_flame_layout_hit_test (layout, x, 2), ==, expected);
    }
}

static void
test_layout_hit_and_navigation (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  g_autoptr(SpFlameLayout) layout = layout_new (p, SP_NO_NODE, SP_FLAME_ORDER_LEFT_HEAVY);
  int main_rect, other_rect, run_rect, child;

  main_rect = sp_flame_layout_hit_test (layout, 0.5, 1);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, main_rect)), ==, "main");
  other_rect = sp_flame_layout_hit_test (layout, 0.9, 1);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, other_rect)), ==, "other");
  g_assert_cmpint (sp_flame_layout_hit_test (layout, 0.99, 5), ==, -1);
  g_assert_cmpint (sp_flame_layout_hit_test (layout, 0.5, 40), ==, -1);
  /* alpha spans [0.75, 0.8): main;main's own sample is a gap */
  g_assert_cmpint (sp_flame_layout_hit_test (layout, 0.82, 2), ==, -1);

  g_assert_cmpint (sp_flame_layout_get_sibling (layout, main_rect, 1), ==, other_rect);
  g_assert_cmpint (sp_flame_layout_get_sibling (layout, other_rect, -1), ==, main_rect);
  g_assert_cmpint (sp_flame_layout_get_sibling (layout, main_rect, -1), ==, -1);
  g_assert_cmpint (sp_flame_layout_get_parent (layout, main_rect), ==, 0);
  g_assert_cmpint (sp_flame_layout_get_parent (layout, 0), ==, -1);
  run_rect = sp_flame_layout_get_first_child (layout, main_rect);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, run_rect)), ==, "run");
  /* alpha's sibling to the right is zeta's row neighbour, but not its sibling */
  child = sp_flame_layout_get_sibling (layout, run_rect, 1);
  g_assert_cmpstr (rect_name (p, sp_flame_layout_get_rect (layout, child)), ==, "alpha");
  g_assert_cmpint (sp_flame_layout_get_sibling (layout, child, 1), ==, -1);
  g_assert_cmpint (sp_flame_layout_get_first_child (layout, child), ==, -1);

  g_assert_cmpint (sp_flame_layout_find_frame (layout, sp_profile_lookup_frame (p, "fib")), ==,
                   sp_flame_layout_find_node (layout, node_of_path (p, "main;run;fib")));

  /* rows from y, both ways up */
  g_assert_cmpint (sp_flame_orientation_row_at (SP_FLAME_ORIENTATION_FLAME, 95, 10, 100), ==, 0);
  g_assert_cmpint (sp_flame_orientation_row_at (SP_FLAME_ORIENTATION_FLAME, 5, 10, 100), ==, 9);
  g_assert_cmpint (sp_flame_orientation_row_at (SP_FLAME_ORIENTATION_ICICLE, 5, 10, 100), ==, 0);
  g_assert_cmpint (sp_flame_orientation_row_at (SP_FLAME_ORIENTATION_ICICLE, 100, 10, 100), ==, -1);
  g_assert_cmpfloat (sp_flame_orientation_row_y (SP_FLAME_ORIENTATION_FLAME, 0, 10, 100), ==, 90);
}

static void
test_search (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  g_autoptr(SpFlameSearch) fib = NULL;
  g_autoptr(SpFlameSearch) upper = NULL;
  g_autoptr(SpFlameSearch) exact_case = NULL;
  g_autoptr(SpFlameSearch) regex = NULL;
  g_autoptr(SpFlameSearch) bad = NULL;
  g_autoptr(GError) error = NULL;

  /* fib nests in fib and helper in fib: the 10 samples under main;run;fib count once */
  fib = sp_flame_search_new (p, "fib", SP_FLAME_SEARCH_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sp_flame_search_get_matched_weight (fib, SP_METRIC_SAMPLES), ==, 10);
  g_assert_cmpfloat_with_epsilon (sp_flame_search_get_matched_fraction (fib, SP_METRIC_SAMPLES), 0.5, 1e-12);
  g_assert_true (sp_flame_search_matches_frame (fib, sp_profile_lookup_frame (p, "fib")));
  g_assert_false (sp_flame_search_matches_frame (fib, sp_profile_lookup_frame (p, "helper")));

  upper = sp_flame_search_new (p, "FIB", SP_FLAME_SEARCH_DEFAULT, &error);
  g_assert_cmpfloat (sp_flame_search_get_matched_weight (upper, SP_METRIC_SAMPLES), ==, 10);
  exact_case = sp_flame_search_new (p, "FIB", SP_FLAME_SEARCH_CASE_SENSITIVE, &error);
  g_assert_cmpuint (sp_flame_search_get_n_matched_frames (exact_case), ==, 0);
  g_assert_cmpfloat (sp_flame_search_get_matched_weight (exact_case, SP_METRIC_SAMPLES), ==, 0);

  /* "a.*a" is a regex (alpha); as plain text it matches nothing */
  regex = sp_flame_search_new (p, "^(cons|zeta|alpha)$", SP_FLAME_SEARCH_REGEX, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sp_flame_search_get_matched_weight (regex, SP_METRIC_SAMPLES), ==, 9);
  g_clear_pointer (&regex, sp_flame_search_free);
  regex = sp_flame_search_new (p, "^(cons|zeta|alpha)$", SP_FLAME_SEARCH_DEFAULT, &error);
  g_assert_cmpuint (sp_flame_search_get_n_matched_frames (regex), ==, 0);

  bad = sp_flame_search_new (p, "fib(", SP_FLAME_SEARCH_REGEX, &error);
  g_assert_null (bad);
  g_assert_error (error, G_REGEX_ERROR, G_REGEX_ERROR_UNMATCHED_PARENTHESIS);
  g_clear_error (&error);
  bad = sp_flame_search_new (p, "", SP_FLAME_SEARCH_DEFAULT, &error);
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
}

static void
assert_dump (SpProfile  *p,
             const char *expected)
{
  g_autofree char *dump = dump_profile (p);

  g_assert_cmpstr (dump, ==, expected);
}

static void
test_transform_collapse (void)
{
  static const char * const lines[] = {
    "main;fib;fib;fib 6",
    "main;fib;helper;fib;leaf 2",
    "main;even;odd;even;odd 4",
    NULL
  };
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (lines);
  g_autoptr(SpProfile) direct = sp_profile_collapse_recursion (p, FALSE);
  g_autoptr(SpProfile) indirect = sp_profile_collapse_recursion (p, TRUE);

  assert_dump (direct,
               "main;even;odd;even;odd 4\n"
               "main;fib 6\n"
               "main;fib;helper;fib;leaf 2");
  assert_dump (indirect,
               "main;even;odd 4\n"
               "main;fib 6\n"
               "main;fib;helper;leaf 2");
  g_assert_cmpfloat (sp_profile_get_grand_total (indirect, SP_METRIC_SAMPLES), ==, 12);
  /* frame ids survive, so a selection carries over */
  g_assert_cmpuint (sp_profile_lookup_frame (indirect, "helper"), ==, sp_profile_lookup_frame (p, "helper"));
  g_assert_cmpuint (sp_profile_get_meta (direct)->mode, ==, sp_profile_get_meta (p)->mode);
}

static void
test_transform_focus_hide (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (demo);
  guint32 fib = sp_profile_lookup_frame (p, "fib");
  guint32 run = sp_profile_lookup_frame (p, "run");
  g_autoptr(SpProfile) focus = sp_profile_focus_function (p, fib);
  g_autoptr(SpProfile) hidden = sp_profile_hide_function (p, run);
  g_autoptr(SpProfile) hide_root = sp_profile_hide_function (p, sp_profile_lookup_frame (p, "main"));
  g_autoptr(SpProfile) inverted = sp_profile_invert (p);
  g_autoptr(SpProfile) callers = sp_profile_focus_function (inverted, fib);

  assert_dump (focus,
               "fib;fib 2\n"
               "fib;fib;fib 6\n"
               "fib;helper;fib 2");
  g_assert_cmpfloat (sp_profile_get_grand_total (focus, SP_METRIC_SAMPLES), ==, 10);

  assert_dump (hidden,
               "main 1\n"
               "main;alpha 1\n"
               "main;cons 5\n"
               "main;fib;fib 2\n"
               "main;fib;fib;fib 6\n"
               "main;fib;helper;fib 2\n"
               "other;zeta 3");
  /* a hidden root's own sample has no caller to go to */
  g_assert_cmpfloat (sp_profile_get_grand_total (hide_root, SP_METRIC_SAMPLES), ==, 19);

  /* callers of fib: bottom-up, re-rooted at fib */
  g_assert_cmpfloat (sp_profile_get_grand_total (callers, SP_METRIC_SAMPLES), ==, 10);
}

static void
test_colors (void)
{
  SpFrame user = { "WORKLOAD::FIB", "WORKLOAD", NULL, 0, SP_FRAME_KIND_FUNCTION };
  SpFrame user2 = { "WORKLOAD::FIB", "WORKLOAD", NULL, 0, SP_FRAME_KIND_FUNCTION };
  SpFrame sbcl = { "SB-IMPL::GETHASH3", "SB-IMPL", NULL, 0, SP_FRAME_KIND_FUNCTION };
  SpFrame cl = { "COMMON-LISP:REDUCE", "COMMON-LISP", NULL, 0, SP_FRAME_KIND_FUNCTION };
  SpFrame foreign = { "foreign function memcpy", NULL, NULL, 0, SP_FRAME_KIND_FOREIGN };
  SpFlameRgb a, b, s, dark;
  SpFlameColors scheme;

  g_assert_cmpint (sp_flame_origin_of_frame (&user), ==, SP_FLAME_ORIGIN_USER);
  g_assert_cmpint (sp_flame_origin_of_frame (&sbcl), ==, SP_FLAME_ORIGIN_SBCL);
  g_assert_cmpint (sp_flame_origin_of_frame (&cl), ==, SP_FLAME_ORIGIN_SBCL);
  g_assert_cmpint (sp_flame_origin_of_frame (&foreign), ==, SP_FLAME_ORIGIN_FOREIGN);

  a = sp_flame_colors_for_frame (SP_FLAME_COLORS_PACKAGE, &user, FALSE);
  b = sp_flame_colors_for_frame (SP_FLAME_COLORS_PACKAGE, &user2, FALSE);
  s = sp_flame_colors_for_frame (SP_FLAME_COLORS_PACKAGE, &sbcl, FALSE);
  dark = sp_flame_colors_for_frame (SP_FLAME_COLORS_PACKAGE, &user, TRUE);
  g_assert_true (a.red == b.red && a.green == b.green && a.blue == b.blue);
  g_assert_cmpfloat (a.red, >, a.blue);       /* user code is warm */
  g_assert_cmpfloat (s.blue, >, s.red);       /* SBCL is cool */
  g_assert_cmpfloat (dark.red + dark.green + dark.blue, <, a.red + a.green + a.blue);
  for (SpFlameColors c = 0; c < SP_N_FLAME_COLORS; c++)
    {
      SpFlameRgb rgb = sp_flame_colors_for_frame (c, &foreign, FALSE);
      g_assert_true (rgb.red >= 0 && rgb.red <= 1 && rgb.green >= 0 && rgb.green <= 1);
    }

  /* names that differ only at the end still get clearly different colours */
  {
    SpFrame f1 = { "F1", NULL, NULL, 0, SP_FRAME_KIND_FUNCTION };
    SpFrame f2 = { "F2", NULL, NULL, 0, SP_FRAME_KIND_FUNCTION };
    SpFlameRgb c1 = sp_flame_colors_for_frame (SP_FLAME_COLORS_HOT, &f1, FALSE);
    SpFlameRgb c2 = sp_flame_colors_for_frame (SP_FLAME_COLORS_HOT, &f2, FALSE);

    g_assert_cmpfloat (fabsf (c1.red - c2.red) + fabsf (c1.green - c2.green) + fabsf (c1.blue - c2.blue), >, 0.05);
  }

  g_assert_true (sp_flame_colors_from_string ("Kind", &scheme));
  g_assert_cmpint (scheme, ==, SP_FLAME_COLORS_KIND);
  g_assert_false (sp_flame_colors_from_string ("rainbow", &scheme));
  g_assert_cmpstr (sp_flame_colors_to_string (SP_FLAME_COLORS_HOT), ==, "hot");
}

/* A comparison where "grow" doubles its share, "shrink" loses most of it and "same" keeps it,
 * in recordings of different lengths (100 samples before, 200 after). */
static SpProfile *
diff_profile_new (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  const char *names[] = { "main", "grow", "shrink", "same" };
  /* before, after for main;grow, main;shrink, main;same */
  const double counts[3][2] = { { 20, 100 }, { 50, 40 }, { 30, 60 } };
  guint32 frames[4];

  for (guint i = 0; i < 4; i++)
    frames[i] = sp_profile_builder_intern_frame (builder, names[i], -1);
  for (guint i = 0; i < 3; i++)
    {
      guint32 stack[2] = { frames[0], frames[i + 1] };
      double weights[SP_N_METRICS] = { 0 };

      weights[SP_METRIC_BASELINE] = counts[i][0];
      weights[SP_METRIC_SAMPLES] = counts[i][1];
      sp_profile_builder_add_stack (builder, stack, 2, FALSE, weights);
    }

  return sp_profile_builder_end (builder);
}

static guint32
child_named (SpProfile  *profile,
             const char *name)
{
  const guint32 *frames = sp_profile_get_node_frames (profile);

  for (guint32 i = 0; i < sp_profile_get_n_nodes (profile); i++)
    if (g_str_equal (sp_profile_get_frame (profile, frames[i])->name, name))
      return i;
  g_assert_not_reached ();
}

static void
test_colors_diff (void)
{
  g_autoptr(SpProfile) profile = diff_profile_new ();
  g_autoptr(SpProfile) plain = NULL;
  const char *lines[] = { "main;a 3", NULL };
  SpFlameDiff diff;
  SpFlameRgb grow, shrink, same, root, small, dark;
  double before, after;
  SpFlameColors scheme;

  g_assert_true (sp_flame_diff_init (&diff, profile, SP_METRIC_SAMPLES));
  /* shares, not counts: grow goes from 20 % to 50 % */
  sp_flame_diff_get_shares (&diff, child_named (profile, "grow"), &before, &after);
  g_assert_cmpfloat_with_epsilon (before, 0.20, 1e-9);
  g_assert_cmpfloat_with_epsilon (after, 0.50, 1e-9);
  /* the largest change (30 points either way) is the full-intensity one */
  g_assert_cmpfloat_with_epsilon (diff.scale, 0.30, 1e-9);

  grow = sp_flame_diff_color (&diff, child_named (profile, "grow"), FALSE);
  shrink = sp_flame_diff_color (&diff, child_named (profile, "shrink"), FALSE);
  same = sp_flame_diff_color (&diff, child_named (profile, "same"), FALSE);
  root = sp_flame_diff_color (&diff, child_named (profile, "main"), FALSE);
  g_assert_cmpfloat (grow.red, >, grow.blue + 0.3);       /* growth is red */
  g_assert_cmpfloat (shrink.blue, >, shrink.red + 0.3);   /* shrinkage is blue */
  /* 30 % of 100 and 60 % of 200 are the same share: neutral grey, as is the whole */
  g_assert_cmpfloat (same.red, ==, same.blue);
  g_assert_cmpfloat (same.red, ==, same.green);
  g_assert_true (root.red == same.red && root.green == same.green && root.blue == same.blue);

  /* intensity grows with the change */
  small = sp_flame_colors_for_change (0.05, diff.scale, FALSE);
  g_assert_cmpfloat (small.red - small.blue, >, 0);
  g_assert_cmpfloat (small.red - small.blue, <, grow.red - grow.blue);
  dark = sp_flame_colors_for_change (0.2, diff.scale, TRUE);
  g_assert_cmpfloat (dark.red + dark.green + dark.blue, <, grow.red + grow.green + grow.blue);

  /* no baseline, no differential colours */
  plain = sp_test_profile_from_lines (lines);
  g_assert_false (sp_flame_diff_init (&diff, plain, SP_METRIC_SAMPLES));
  g_assert_false (sp_flame_diff_init (&diff, profile, SP_METRIC_BASELINE));

  g_assert_true (sp_flame_colors_from_string ("diff", &scheme));
  g_assert_cmpint (scheme, ==, SP_FLAME_COLORS_DIFF);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flame-layout/whole", test_layout_whole);
  g_test_add_func ("/flame-layout/alphabetical", test_layout_alphabetical);
  g_test_add_func ("/flame-layout/zoom", test_layout_zoom);
  g_test_add_func ("/flame-layout/threshold", test_layout_threshold);
  g_test_add_func ("/flame-layout/range", test_layout_range);
  g_test_add_func ("/flame-layout/wide-row", test_layout_wide_row);
  g_test_add_func ("/flame-layout/hit-and-navigation", test_layout_hit_and_navigation);
  g_test_add_func ("/flame-layout/search", test_search);
  g_test_add_func ("/flame-transform/collapse", test_transform_collapse);
  g_test_add_func ("/flame-transform/focus-hide", test_transform_focus_hide);
  g_test_add_func ("/flame-colors/schemes", test_colors);
  g_test_add_func ("/flame-colors/diff", test_colors_diff);

  return g_test_run ();
}
