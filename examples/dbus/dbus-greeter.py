# SPDX-License-Identifier: LGPL-2.1-or-later
"""Asynchronous construction with a real D-Bus proxy, from Python: the
story of dbus-greeter.c. A Welcome service depends on a GreeterProxy (a
Gio.DBusProxy, which is a Gio.AsyncInitable), and the proxy on a
Gio.DBusConnection that an asynchronous factory opens; one asynchronous
get builds all three without blocking. The service it talks to runs in
this program (a thread of its own), on a private bus that Gio.TestDBus
starts.

The get is awaited in asyncio with get_async_awaitable(), which iterates
GLib's main context while it waits (PyGObject 3.42 has no asyncio loop
that runs it)."""

import asyncio
import sys
import threading

import gi

gi.require_version('Hs', '1')
from gi.repository import Gio, GLib, GObject, Hs  # noqa: E402

BUS_NAME = 'org.example.Greeter'
OBJECT_PATH = '/org/example/Greeter'
IFACE_NAME = 'org.example.Greeter'
INTROSPECTION = f'''<node>
  <interface name="{IFACE_NAME}">
    <method name="Greet"><arg type="s" direction="in"/><arg type="s" direction="out"/></method>
    <property name="Salutation" type="s" access="read"/>
  </interface>
</node>'''


class Endpoint(GObject.Object):
    """Where the greeter is: its properties go to the proxy's."""
    __gtype_name__ = 'ExamplePyEndpoint'
    address = GObject.Property(type=str)
    bus_name = GObject.Property(type=str, default=BUS_NAME)
    object_path = GObject.Property(type=str, default=OBJECT_PATH)
    interface_name = GObject.Property(type=str, default=IFACE_NAME)


class GreeterProxy(Gio.DBusProxy):
    """Its g-connection is construct-only: injected."""
    __gtype_name__ = 'ExamplePyGreeterProxy'


Hs.inject_get(GreeterProxy, 'g-name', Endpoint, 'bus-name')
Hs.inject_get(GreeterProxy, 'g-object-path', Endpoint, 'object-path')
Hs.inject_get(GreeterProxy, 'g-interface-name', Endpoint, 'interface-name')


class Welcome(GObject.Object):
    __gtype_name__ = 'ExamplePyWelcome'
    greeter = GObject.Property(type=GreeterProxy)


def open_connection(registry, context, cancellable, callback):
    """The asynchronous factory of the connection: once (SINGLETON)."""
    Gio.DBusConnection.new_for_address(
        registry.get(Endpoint).props.address,
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None, cancellable, lambda source, result, *_: callback(source, result))


def open_connection_finish(registry, result):
    return Gio.DBusConnection.new_for_address_finish(result)


def serve(address):
    """org.example.Greeter, answered in this process, by a thread of its
    own (its own main context), on a connection of its own. Returns what
    stops it."""
    context = GLib.MainContext()
    loop = GLib.MainLoop(context)
    ready = threading.Event()

    def method_call(connection, sender, path, iface, method, parameters, invocation):
        invocation.return_value(GLib.Variant('(s)', (f'Bonjour, {parameters.unpack()[0]}!',)))

    def get_property(connection, sender, path, iface, name):
        return GLib.Variant('s', 'Bonjour')

    def thread():
        context.push_thread_default()
        service = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        info = Gio.DBusNodeInfo.new_for_xml(INTROSPECTION).interfaces[0]
        service.register_object(OBJECT_PATH, info, method_call, get_property, None)
        service.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                          'RequestName', GLib.Variant('(su)', (BUS_NAME, 4)), None,
                          Gio.DBusCallFlags.NONE, -1, None)
        ready.set()
        loop.run()
        service.close_sync(None)
        context.pop_thread_default()

    server = threading.Thread(target=thread)
    server.start()
    ready.wait()

    def stop():
        context.invoke_full(GLib.PRIORITY_DEFAULT, loop.quit)
        server.join()
    return stop


async def main(registry):
    welcome = await registry.get_async_awaitable(Welcome)
    print('Salutation:', welcome.props.greeter.get_cached_property('Salutation').unpack())
    reply = welcome.props.greeter.call_sync('Greet', GLib.Variant('(s)', ('Marie',)),
                                            Gio.DBusCallFlags.NONE, -1, None)
    print(reply.unpack()[0])


def run():
    bus = Gio.TestDBus.new(Gio.TestDBusFlags.NONE)
    bus.up()
    stop_service = serve(bus.get_bus_address())

    registry = Hs.Registry()
    registry.register(Endpoint(address=bus.get_bus_address()))
    registry.register_async_factory(Gio.DBusConnection, None, Hs.Lifetime.SINGLETON,
                                    open_connection, open_connection_finish)
    registry.register(GreeterProxy)
    registry.register(Welcome)
    try:
        asyncio.run(asyncio.wait_for(main(registry), 5))
    finally:
        registry.close()
        stop_service()
        bus.down()


if __name__ == '__main__':
    sys.exit(run())
