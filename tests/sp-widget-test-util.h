/* sp-widget-test-util.h: finding widgets inside composite widgets, for tests and benchmarks */
#pragma once

#include <gtk/gtk.h>

/* The first widget under root (root included, depth first) of type whose text (a label's or a
 * button's label) starts with text_prefix; any text when text_prefix is NULL. */
static inline GtkWidget *
sp_test_find_widget (GtkWidget  *root,
                     GType       type,
                     const char *text_prefix)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      const char *text = GTK_IS_LABEL (root) ? gtk_label_get_text (GTK_LABEL (root))
                         : GTK_IS_BUTTON (root) ? gtk_button_get_label (GTK_BUTTON (root)) : NULL;

      if (text_prefix == NULL || (text != NULL && g_str_has_prefix (text, text_prefix)))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sp_test_find_widget (child, type, text_prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}
