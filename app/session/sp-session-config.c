/* sp-session-config.c: SpSession's configuration properties and read-only state */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include "sp-session-private.h"

static void
set_string (SpSession  *self,
            char      **field,
            const char *value,
            const char *property)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify (G_OBJECT (self), property);
}

static void
set_strv (SpSession          *self,
          char             ***field,
          const char * const *value,
          const char         *property)
{
  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL && g_strv_equal ((const char * const *) *field, value))
    return;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  g_object_notify (G_OBJECT (self), property);
}

const char *
sp_session_get_sbcl_path (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return self->sbcl_path;
}

void
sp_session_set_sbcl_path (SpSession  *self,
                          const char *sbcl_path)
{
  g_return_if_fail (SP_IS_SESSION (self));
  set_string (self, &self->sbcl_path, sbcl_path, "sbcl-path");
}

const char *
sp_session_get_working_dir (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return self->working_dir;
}

void
sp_session_set_working_dir (SpSession  *self,
                            const char *working_dir)
{
  g_return_if_fail (SP_IS_SESSION (self));
  set_string (self, &self->working_dir, working_dir, "working-dir");
}

const char * const *
sp_session_get_load_files (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return (const char * const *) self->load_files;
}

void
sp_session_set_load_files (SpSession          *self,
                           const char * const *files)
{
  g_return_if_fail (SP_IS_SESSION (self));
  set_strv (self, &self->load_files, files, "load-files");
}

const char * const *
sp_session_get_systems (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return (const char * const *) self->systems;
}

void
sp_session_set_systems (SpSession          *self,
                        const char * const *systems)
{
  g_return_if_fail (SP_IS_SESSION (self));
  set_strv (self, &self->systems, systems, "systems");
}

void
sp_session_set_load_order (SpSession          *self,
                           const char * const *order)
{
  g_return_if_fail (SP_IS_SESSION (self));
  g_strfreev (self->load_order);
  self->load_order = g_strdupv ((char **) order);
}

const char * const *
sp_session_get_extra_args (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return (const char * const *) self->extra_args;
}

void
sp_session_set_extra_args (SpSession          *self,
                           const char * const *args)
{
  g_return_if_fail (SP_IS_SESSION (self));
  set_strv (self, &self->extra_args, args, "extra-args");
}

const char * const *
sp_session_get_environment (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return (const char * const *) self->environment;
}

void
sp_session_set_environment (SpSession          *self,
                            const char * const *environment)
{
  g_return_if_fail (SP_IS_SESSION (self));
  set_strv (self, &self->environment, environment, "environment");
}

gboolean
sp_session_get_use_init_files (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), FALSE);
  return self->use_init_files;
}

void
sp_session_set_use_init_files (SpSession *self,
                               gboolean   use_init_files)
{
  g_return_if_fail (SP_IS_SESSION (self));

  use_init_files = !!use_init_files;
  if (self->use_init_files == use_init_files)
    return;
  self->use_init_files = use_init_files;
  g_object_notify (G_OBJECT (self), "use-init-files");
}

gboolean
sp_session_get_instrument_allocations (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), FALSE);
  return self->instrument_allocations;
}

void
sp_session_set_instrument_allocations (SpSession *self,
                                       gboolean   instrument)
{
  g_return_if_fail (SP_IS_SESSION (self));

  instrument = !!instrument;
  if (self->instrument_allocations == instrument)
    return;
  self->instrument_allocations = instrument;
  g_object_notify (G_OBJECT (self), "instrument-allocations");
}

gboolean
sp_session_get_code_instrumented (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), FALSE);
  return self->code_instrumented;
}

void
sp_session_set_timeout (SpSession *self,
                        double     seconds)
{
  g_return_if_fail (SP_IS_SESSION (self));
  g_return_if_fail (seconds > 0);
  self->timeout = seconds;
}

SpSessionState
sp_session_get_state (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), SP_SESSION_STATE_CRASHED);
  return self->state;
}

const char *
sp_session_get_state_reason (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return self->state_reason;
}

const char *
sp_session_get_sbcl_version (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return self->sbcl_version;
}

GPid
sp_session_get_pid (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), 0);
  return self->pid;
}
