# SPDX-License-Identifier: LGPL-2.1-or-later
"""A tiny package for test-override.py: Registry.scan() of a package finds
the @Hs.injectable classes of its modules (greetings, greeters), and
Registry.setup() calls hopscotch_setup() below."""

import gi

gi.require_version('Hs', '1')
from gi.repository import GObject  # noqa: E402


class SiteConfig(GObject.Object):
    """Not decorated: the package's setup registers an instance of it."""
    site_title = GObject.Property(type=str, default='')


def hopscotch_setup(registry):
    registry.register(SiteConfig(site_title='My Configuration'))
