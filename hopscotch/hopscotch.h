/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define HOPSCOTCH_INSIDE
# include "hs-version.h"
# include "hs-version-macros.h"
# include "hs-enums.h"
# include "hs-registration.h"
# include "hs-registry.h"
# include "hs-inject.h"
# include "hs-registry-manager.h"
# include "hs-injectable.h"
# include "hs-list.h"
# include "hs-plugin-module.h"
#undef HOPSCOTCH_INSIDE
