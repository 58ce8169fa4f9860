#include "sp-frame.h"

typedef struct
{
  const char  *name;
  SpFrameKind  kind;
  const char  *package;
} Case;

static const Case cases[] = {
  { "WORKLOAD::FIB", SP_FRAME_KIND_FUNCTION, "WORKLOAD" },
  { "CL-USER:MAIN", SP_FRAME_KIND_FUNCTION, "CL-USER" },
  { "(SETF WORKLOAD::WEIRD-PLACE)", SP_FRAME_KIND_FUNCTION, "WORKLOAD" },
  { "(LAMBDA (WORKLOAD::X) :IN WORKLOAD::CLOSURE-WORK)", SP_FRAME_KIND_LAMBDA, "WORKLOAD" },
  { "(LAMBDA ())", SP_FRAME_KIND_LAMBDA, NULL },
  { "(FLET SB-IMPL::INSERT-AT :IN \"SYS:SRC;CODE;TARGET-HASH-TABLE.LISP\")", SP_FRAME_KIND_FLET, "SB-IMPL" },
  { "(LABELS WALK :IN APP::TREE)", SP_FRAME_KIND_LABELS, "APP" },
  { "(SB-PCL::FAST-METHOD WORKLOAD::AREA (WORKLOAD::CIRCLE))", SP_FRAME_KIND_METHOD, "WORKLOAD" },
  { "(SB-C::TL-XEP PKG::NAME)", SP_FRAME_KIND_FUNCTION, "PKG" },
  { "foreign function call_into_lisp_", SP_FRAME_KIND_FOREIGN, NULL },
  { "WORKLOAD::|weird;name with spaces\nand newline|", SP_FRAME_KIND_FUNCTION, "WORKLOAD" },
  { "|odd:name|", SP_FRAME_KIND_FUNCTION, NULL },
  { ":KEY", SP_FRAME_KIND_FUNCTION, "KEYWORD" },
  { "\"<unknown>\"", SP_FRAME_KIND_OTHER, NULL },
  { "main", SP_FRAME_KIND_FUNCTION, NULL },
};

static void
test_kind_and_package (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *package = NULL;
      SpFrameKind kind = sp_frame_kind_from_name (cases[i].name, &package);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (kind, ==, cases[i].kind);
      g_assert_cmpstr (package, ==, cases[i].package);
    }
}

static void
test_kind_strings (void)
{
  for (SpFrameKind k = 0; k < SP_N_FRAME_KINDS; k++)
    {
      SpFrameKind back;
      g_assert_true (sp_frame_kind_from_string (sp_frame_kind_to_string (k), &back));
      g_assert_cmpint (back, ==, k);
    }
  {
    SpFrameKind ignored;
    g_assert_false (sp_frame_kind_from_string ("closure", &ignored));
  }
}

static void
test_frame_new (void)
{
  g_autofree SpFrame *frame = sp_frame_new ("A::B", "A", SP_FRAME_KIND_FUNCTION, "/x.lisp", 12);

  g_assert_cmpstr (frame->name, ==, "A::B");
  g_assert_cmpstr (frame->package, ==, "A");
  g_assert_cmpstr (frame->file, ==, "/x.lisp");
  g_assert_cmpuint (frame->line, ==, 12);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame/kind-and-package", test_kind_and_package);
  g_test_add_func ("/frame/kind-strings", test_kind_strings);
  g_test_add_func ("/frame/new", test_frame_new);
  return g_test_run ();
}
