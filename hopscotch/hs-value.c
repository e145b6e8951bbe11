/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <float.h>
#include <math.h>

#include "hs-value-private.h"
#include "hs-kind-private.h"

/* GLib's transformations between numbers are C casts: 2^32 + 5 becomes 5
 * in an int, -1 becomes 4294967295 in a uint, and a double out of an
 * integer's range is undefined behaviour. Numbers are therefore converted
 * here: an integer target takes only a value it holds exactly, a floating
 * target any value it can round to (a Python or JavaScript number is a
 * double, and 0.1 must fit a float property) but not a finite value that
 * would overflow it. */

typedef enum
{
  NUMBER_NONE,
  NUMBER_SIGNED,
  NUMBER_UNSIGNED,
  NUMBER_FLOATING,
} NumberClass;

typedef struct
{
  NumberClass klass;
  gint64      s;
  guint64     u;
  double      d;
} Number;

static gboolean
read_number (const GValue *value,
             Number       *n)
{
  n->klass = NUMBER_SIGNED;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_CHAR:   n->s = g_value_get_schar (value); return TRUE;
    case G_TYPE_INT:    n->s = g_value_get_int (value); return TRUE;
    case G_TYPE_LONG:   n->s = g_value_get_long (value); return TRUE;
    case G_TYPE_INT64:  n->s = g_value_get_int64 (value); return TRUE;
    default:
      break;
    }

  n->klass = NUMBER_UNSIGNED;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_UCHAR:  n->u = g_value_get_uchar (value); return TRUE;
    case G_TYPE_UINT:   n->u = g_value_get_uint (value); return TRUE;
    case G_TYPE_ULONG:  n->u = g_value_get_ulong (value); return TRUE;
    case G_TYPE_UINT64: n->u = g_value_get_uint64 (value); return TRUE;
    default:
      break;
    }

  n->klass = NUMBER_FLOATING;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_FLOAT:  n->d = g_value_get_float (value); return TRUE;
    case G_TYPE_DOUBLE: n->d = g_value_get_double (value); return TRUE;
    default:
      n->klass = NUMBER_NONE;
      return FALSE;
    }
}

/* The range of an integer fundamental type: [@min, @max] when signed,
 * [0, @umax] when not. */
static gboolean
integer_range (GType     fundamental,
               gboolean *is_signed,
               gint64   *min,
               gint64   *max,
               guint64  *umax)
{
  *is_signed = TRUE;
  switch (fundamental)
    {
    case G_TYPE_CHAR:   *min = G_MININT8;  *max = G_MAXINT8;  return TRUE;
    case G_TYPE_INT:    *min = G_MININT;   *max = G_MAXINT;   return TRUE;
    case G_TYPE_LONG:   *min = G_MINLONG;  *max = G_MAXLONG;  return TRUE;
    case G_TYPE_INT64:  *min = G_MININT64; *max = G_MAXINT64; return TRUE;
    default:
      break;
    }

  *is_signed = FALSE;
  switch (fundamental)
    {
    case G_TYPE_UCHAR:  *umax = G_MAXUINT8;  return TRUE;
    case G_TYPE_UINT:   *umax = G_MAXUINT;   return TRUE;
    case G_TYPE_ULONG:  *umax = G_MAXULONG;  return TRUE;
    case G_TYPE_UINT64: *umax = G_MAXUINT64; return TRUE;
    default:
      return FALSE;
    }
}

/* Makes @n an exact integer of its own class, when it is one. */
static gboolean
exact_integer (Number  *n,
               gboolean want_signed)
{
  if (n->klass != NUMBER_FLOATING)
    return TRUE;

  /* NaN, infinities and fractions are no integer; 2^63 and 2^64 are the
   * first doubles out of the 64-bit ranges. */
  if (!isfinite (n->d) || n->d != trunc (n->d))
    return FALSE;
  if (want_signed || n->d < 0)
    {
      if (n->d < -0x1p63 || n->d >= 0x1p63)
        return FALSE;
      n->klass = NUMBER_SIGNED;
      n->s = (gint64) n->d;
    }
  else
    {
      if (n->d >= 0x1p64)
        return FALSE;
      n->klass = NUMBER_UNSIGNED;
      n->u = (guint64) n->d;
    }
  return TRUE;
}

static void
set_integer (GValue  *dest,
             gint64   s,
             guint64  u)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (dest)))
    {
    case G_TYPE_CHAR:   g_value_set_schar (dest, (gint8) s); break;
    case G_TYPE_INT:    g_value_set_int (dest, (gint) s); break;
    case G_TYPE_LONG:   g_value_set_long (dest, (glong) s); break;
    case G_TYPE_INT64:  g_value_set_int64 (dest, s); break;
    case G_TYPE_UCHAR:  g_value_set_uchar (dest, (guint8) u); break;
    case G_TYPE_UINT:   g_value_set_uint (dest, (guint) u); break;
    case G_TYPE_ULONG:  g_value_set_ulong (dest, (gulong) u); break;
    case G_TYPE_UINT64: g_value_set_uint64 (dest, u); break;
    default:
      g_assert_not_reached ();
    }
}

static HsValueResult
convert_number (Number *n,
                GValue *dest)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (dest));
  gboolean is_signed;
  gint64 min = 0, max = 0;
  guint64 umax = 0;
  double d;

  if (fundamental == G_TYPE_FLOAT || fundamental == G_TYPE_DOUBLE)
    {
      d = n->klass == NUMBER_SIGNED ? (double) n->s
        : n->klass == NUMBER_UNSIGNED ? (double) n->u
        : n->d;
      if (fundamental == G_TYPE_DOUBLE)
        {
          g_value_set_double (dest, d);
          return HS_VALUE_OK;
        }
      if (isfinite (d) && fabs (d) > FLT_MAX)
        return HS_VALUE_OUT_OF_RANGE;
      g_value_set_float (dest, (float) d);
      return HS_VALUE_OK;
    }

  if (!integer_range (fundamental, &is_signed, &min, &max, &umax))
    g_assert_not_reached ();          /* is_number_type() said it is one */

  if (!exact_integer (n, is_signed))
    return HS_VALUE_OUT_OF_RANGE;

  if (is_signed)
    {
      if (n->klass == NUMBER_UNSIGNED)
        {
          if (n->u > (guint64) max)
            return HS_VALUE_OUT_OF_RANGE;
          n->s = (gint64) n->u;
        }
      else if (n->s < min || n->s > max)
        return HS_VALUE_OUT_OF_RANGE;
      set_integer (dest, n->s, 0);
    }
  else
    {
      if (n->klass == NUMBER_SIGNED)
        {
          if (n->s < 0)
            return HS_VALUE_OUT_OF_RANGE;
          n->u = (guint64) n->s;
        }
      if (n->u > umax)
        return HS_VALUE_OUT_OF_RANGE;
      set_integer (dest, 0, n->u);
    }

  return HS_VALUE_OK;
}

static gboolean
is_number_type (GType type)
{
  switch (type)
    {
    case G_TYPE_CHAR: case G_TYPE_UCHAR:
    case G_TYPE_INT: case G_TYPE_UINT:
    case G_TYPE_LONG: case G_TYPE_ULONG:
    case G_TYPE_INT64: case G_TYPE_UINT64:
    case G_TYPE_FLOAT: case G_TYPE_DOUBLE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether a NULL pointer is a value of @type: what JavaScript's null (a
 * NULL gpointer value) means for it, as Python's None does. */
static gboolean
takes_null (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
    case G_TYPE_OBJECT:
    case G_TYPE_INTERFACE:
    case G_TYPE_BOXED:
    case G_TYPE_PARAM:
    case G_TYPE_VARIANT:
    case G_TYPE_POINTER:
      return TRUE;
    default:
      return FALSE;
    }
}

HsValueResult
_hs_value_convert (const GValue *src,
                   GValue       *dest,
                   GParamSpec   *pspec)
{
  GType dest_type = G_VALUE_TYPE (dest);
  Number n = { NUMBER_NONE, 0, 0, 0 };

  /* An uninitialized GValue (Python's GObject.Value()) is no value. */
  if (!G_IS_VALUE (src))
    return HS_VALUE_WRONG_TYPE;

  if (G_VALUE_HOLDS_POINTER (src) && g_value_get_pointer (src) == NULL &&
      takes_null (dest_type))
    {
      /* @dest is initialized: it holds NULL already. */
    }
  else if (G_VALUE_HOLDS_OBJECT (src) && _hs_is_object_or_interface_type (dest_type))
    {
      GObject *object = g_value_get_object (src);

      if (object != NULL && !G_TYPE_CHECK_INSTANCE_TYPE (object, dest_type))
        return HS_VALUE_WRONG_TYPE;
      g_value_set_object (dest, object);
    }
  else if (read_number (src, &n) && is_number_type (dest_type))
    {
      HsValueResult result = convert_number (&n, dest);

      if (result != HS_VALUE_OK)
        return result;
    }
  else if (g_value_type_compatible (G_VALUE_TYPE (src), dest_type))
    g_value_copy (src, dest);
  else if (!g_value_type_transformable (G_VALUE_TYPE (src), dest_type) ||
           !g_value_transform (src, dest))
    return HS_VALUE_WRONG_TYPE;

  /* GObject would clamp a value out of the property's range with a
   * warning: refuse it. */
  return g_param_value_validate (pspec, dest) ? HS_VALUE_OUT_OF_RANGE : HS_VALUE_OK;
}
