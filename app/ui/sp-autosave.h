/* sp-autosave.h: unsaved recordings kept on disk until they are saved or discarded */
#pragma once

#include "sp-profile-view.h"

G_BEGIN_DECLS

/* $XDG_STATE_HOME/sbcl-profiler/autosave */
char      *sp_autosave_get_dir          (void);

/* Writes the view's profile to the autosave folder at once (in a worker thread) and keeps it
 * there until the view is saved or goes away: only a crash or a kill of the app leaves it. */
void       sp_autosave_keep             (SpProfileView *view);

/* The same for the tab of a recording still running, with the samples so far: written at
 * once, then again at most every 5 s (into the same file), until the final profile is kept. */
void       sp_autosave_keep_live        (SpProfileView *view);
/* The same for a view restored from an autosaved file: that file is kept, not written again. */
void       sp_autosave_adopt            (SpProfileView *view,
                                         GFile         *file);

/* The autosaved files that no view of this process keeps (left by a run that crashed or was
 * killed), oldest first. */
GPtrArray *sp_autosave_list_left_over   (void);

/* The title the view had, kept in the file's name. */
char      *sp_autosave_get_title        (GFile         *file);

G_END_DECLS
