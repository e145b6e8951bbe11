/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Converting a value given for a property (a prop, or a value injected
 * from another object's property) into the property's value type: pure,
 * with no registry and no locks, so that it can be tested alone. */

typedef enum
{
  HS_VALUE_OK,
  HS_VALUE_WRONG_TYPE,                /* no conversion, or an uninitialized value */
  HS_VALUE_OUT_OF_RANGE,              /* a number the type or the property cannot hold */
} HsValueResult;

/* Puts @src into @dest, initialized to @pspec's value type, or refuses it.
 * Never clamps, wraps or truncates a number, and never lets GObject do it
 * with a warning. */
HsValueResult _hs_value_convert (const GValue *src,
                                 GValue       *dest,
                                 GParamSpec   *pspec);

G_END_DECLS
