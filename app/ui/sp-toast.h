/* sp-toast.h: showing a message in the toast overlay a widget is inside of */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *sp_toast_show (GtkWidget  *widget,
                         const char *title);

G_END_DECLS
