// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Asynchronous construction with a real D-Bus proxy, from GJS: the story of
// dbus-greeter.c. A Welcome service depends on a GreeterProxy (a
// Gio.DBusProxy, which is a Gio.AsyncInitable); `await registry.getAsync()`
// builds the proxy with init_async() (it loads the remote properties), then
// the Welcome, without blocking. GJS cannot write an asynchronous factory
// (a callback that takes a callback), so the connection is registered as
// an instance here. The service runs in this program, on a private bus of
// its own dbus-daemon.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Hs from 'gi://Hs?version=1';
import system from 'system';

// The JavaScript layer: getAsync(), get_async() as a promise, and the
// dependencies of JavaScript classes.
imports.hopscotch;

const BUS_NAME = 'org.example.Greeter';
const OBJECT_PATH = '/org/example/Greeter';
const IFACE_NAME = 'org.example.Greeter';
const INTROSPECTION = `<node>
  <interface name="${IFACE_NAME}">
    <method name="Greet"><arg type="s" direction="in"/><arg type="s" direction="out"/></method>
    <property name="Salutation" type="s" access="read"/>
  </interface>
</node>`;

const RW = GObject.ParamFlags.READWRITE;

// Where the greeter is: its properties go to the proxy's.
const Endpoint = GObject.registerClass({
    GTypeName: 'ExampleJsEndpoint',
    Properties: {
        'bus-name': GObject.ParamSpec.string('bus-name', '', '', RW, BUS_NAME),
        'object-path': GObject.ParamSpec.string('object-path', '', '', RW, OBJECT_PATH),
        'interface-name': GObject.ParamSpec.string('interface-name', '', '', RW, IFACE_NAME),
    },
}, class Endpoint extends GObject.Object {});

// Its g-connection is construct-only: injected.
const GreeterProxy = GObject.registerClass({GTypeName: 'ExampleJsGreeterProxy'},
    class GreeterProxy extends Gio.DBusProxy {});
Hs.injectGet(GreeterProxy, 'g-name', Endpoint, 'bus-name');
Hs.injectGet(GreeterProxy, 'g-object-path', Endpoint, 'object-path');
Hs.injectGet(GreeterProxy, 'g-interface-name', Endpoint, 'interface-name');

const Welcome = GObject.registerClass({
    GTypeName: 'ExampleJsWelcome',
    Properties: {
        'greeter': GObject.ParamSpec.object('greeter', '', '', RW, GreeterProxy),
    },
}, class Welcome extends GObject.Object {});

Gio._promisify(Gio.DBusProxy.prototype, 'call', 'call_finish');

const FLAGS = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
    Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION;

// The private bus.
const daemon = Gio.Subprocess.new(['dbus-daemon', '--session', '--nofork', '--print-address'],
    Gio.SubprocessFlags.STDOUT_PIPE);
const [address] = new Gio.DataInputStream({base_stream: daemon.get_stdout_pipe()}).read_line_utf8(null);

// The service, answered in this program.
const service = Gio.DBusConnection.new_for_address_sync(address, FLAGS, null, null);
const exported = Gio.DBusExportedObject.wrapJSObject(INTROSPECTION, {
    Greet: name => `Bonjour, ${name}!`,
    get Salutation() {
        return 'Bonjour';
    },
});
exported.export(service, OBJECT_PATH);
service.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
    'RequestName', new GLib.Variant('(su)', [BUS_NAME, 4]), null, Gio.DBusCallFlags.NONE, -1, null);

const registry = new Hs.Registry();
registry.register(new Endpoint());
registry.register(Gio.DBusConnection.new_for_address_sync(address, FLAGS, null, null));
registry.register(GreeterProxy);
registry.register(Welcome);

// GJS runs the main loop while the module awaits; a hang fails.
let status = 0;
const guard = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 5, () => {
    printerr('No answer in 5 s');
    system.exit(1);
    return GLib.SOURCE_REMOVE;
});

try {
    const welcome = await registry.getAsync(Welcome);
    print(`Salutation: ${welcome.greeter.get_cached_property('Salutation').unpack()}`);
    const reply = await welcome.greeter.call('Greet', new GLib.Variant('(s)', ['Marie']),
        Gio.DBusCallFlags.NONE, -1, null);
    print(reply.deepUnpack()[0]);
} catch (e) {
    printerr(`The welcome failed: ${e.message}`);
    status = 1;
}
GLib.source_remove(guard);

registry.close();
exported.unexport();
service.close_sync(null);
daemon.force_exit();
system.exit(status);
