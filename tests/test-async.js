// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Asynchronous construction from GJS through the JavaScript layer
// (SPEC 10): `await registry.get_async(Kind, null, null)` and
// `registry.getAsync(Kind, {context, cancellable})`, plain gets, errors,
// cancellation, and real Gio.DBusProxy objects (GAsyncInitable) for a
// service that the test runs itself on a private bus (its own dbus-daemon), two
// of them injected into one object, initialized at the same time. GJS
// cannot implement GAsyncInitable nor an asynchronous factory (a callback
// that takes a callback), so the asynchronous types here are GIO's. Every
// test is bounded: a hang fails after 5 s.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Gio, Hs} = imports.gi;
const System = imports.system;

imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, checkEqual, checkTypelibIsTheBuildTrees, runAsync} = imports.harness;

imports.hopscotch;

const NONE = GObject.TYPE_NONE;
const DELAY_MS = 300;

const Greeting = GObject.registerClass({
    GTypeName: 'AsyncJsGreeting',
    Properties: {
        'salutation': GObject.ParamSpec.string('salutation', '', '', GObject.ParamFlags.READWRITE, 'Hello'),
    },
}, class Greeting extends GObject.Object {});

const Customer = GObject.registerClass({GTypeName: 'AsyncJsCustomer'},
    class Customer extends GObject.Object {});

// The service: two objects whose properties (GetAll, which a proxy's
// init_async() asks for) are answered after DELAY_MS.
const IFACE_XML = `<node>
  <interface name="org.example.Slow">
    <property name="Name" type="s" access="read"/>
  </interface>
</node>`;
const IFACE_INFO = Gio.DBusNodeInfo.new_for_xml(IFACE_XML).interfaces[0];

function exportSlowObject(connection, path, name) {
    connection.register_object(path, IFACE_INFO,
        (conn, sender, objectPath, interfaceName, method, parameters, invocation) => {
            // Without get_property, GDBus hands the Properties calls here.
            GLib.timeout_add(GLib.PRIORITY_DEFAULT, DELAY_MS, () => {
                if (method === 'GetAll')
                    invocation.return_value(new GLib.Variant('(a{sv})', [{Name: new GLib.Variant('s', name)}]));
                else
                    invocation.return_value(new GLib.Variant('(v)', [new GLib.Variant('s', name)]));
                return GLib.SOURCE_REMOVE;
            });
        }, null, null);
}

// Where a proxy is: a singleton whose properties the proxies' construct
// properties take (injection annotations).
const Endpoint = GObject.registerClass({
    GTypeName: 'AsyncJsEndpoint',
    Properties: {
        'bus-name': GObject.ParamSpec.string('bus-name', '', '', GObject.ParamFlags.READWRITE, ''),
        'first-path': GObject.ParamSpec.string('first-path', '', '', GObject.ParamFlags.READWRITE, ''),
        'second-path': GObject.ParamSpec.string('second-path', '', '', GObject.ParamFlags.READWRITE, ''),
        'interface-name': GObject.ParamSpec.string('interface-name', '', '', GObject.ParamFlags.READWRITE,
            'org.example.Slow'),
    },
}, class Endpoint extends GObject.Object {});

const FirstProxy = GObject.registerClass({GTypeName: 'AsyncJsFirstProxy'},
    class FirstProxy extends Gio.DBusProxy {});
const SecondProxy = GObject.registerClass({GTypeName: 'AsyncJsSecondProxy'},
    class SecondProxy extends Gio.DBusProxy {});

for (const [klass, pathProperty] of [[FirstProxy, 'first-path'], [SecondProxy, 'second-path']]) {
    Hs.injectGet(klass, 'g-name', Endpoint, 'bus-name');
    Hs.injectGet(klass, 'g-object-path', Endpoint, pathProperty);
    Hs.injectGet(klass, 'g-interface-name', Endpoint, 'interface-name');
}

// Depends on both proxies: construct-only properties, injected.
const Dashboard = GObject.registerClass({
    GTypeName: 'AsyncJsDashboard',
    Properties: {
        'first': GObject.ParamSpec.object('first', '', '',
            GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY, FirstProxy),
        'second': GObject.ParamSpec.object('second', '', '',
            GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY, SecondProxy),
    },
}, class Dashboard extends GObject.Object {});

function checkRejects(promise, domain, code, message) {
    return promise.then(() => check(false, `${message}: resolved`),
        e => check(e instanceof GLib.Error && e.matches(domain, code), `${message} (${e.message})`));
}

test('the typelib is the build tree\'s', checkTypelibIsTheBuildTrees);

test('get_async is promisified; getAsync takes options', async () => {
    const registry = new Hs.Registry();
    registry.register(new Greeting({salutation: 'Bonjour'}));
    const greeting = await registry.get_async(Greeting, null, null);
    checkEqual(greeting.salutation, 'Bonjour', 'what get() returns');
    const customer = new Customer();
    registry.register(Greeting, {context: Customer});
    const built = await registry.getAsync(Greeting, {context: customer});
    check(built instanceof Greeting && built.salutation === 'Hello', 'for the context, a new one');
    checkEqual(Hs.RegistryError.NEEDS_ASYNC, 9, 'NEEDS_ASYNC after NOT_SINGLETON');
});

test('build_async is promisified: a list\'s items, built without blocking', async () => {
    const registry = new Hs.Registry();
    registry.register(Greeting);
    registry.register(new Greeting({salutation: 'Bonjour'}));
    const items = [...registry.list(Greeting)];
    checkEqual(items.length, 2, 'two items');
    const instance = await registry.build_async(items[0], null, null);
    checkEqual(instance.salutation, 'Bonjour', 'item 0: the instance');
    const built = await registry.build_async(items[1], null, null);
    check(built instanceof Greeting && built.salutation === 'Hello', 'item 1: a new one');
    const other = new Hs.Registry();
    await checkRejects(other.build_async(items[0], null, null), Hs.registry_error_quark(),
        Hs.RegistryError.NOT_FOUND, 'an item of another registry');
});

test('errors and cancellation reject', async () => {
    const registry = new Hs.Registry();
    await checkRejects(registry.getAsync(Greeting), Hs.registry_error_quark(),
        Hs.RegistryError.NOT_FOUND, 'nothing answers');
    registry.register(Greeting);
    const cancellable = new Gio.Cancellable();
    cancellable.cancel();
    await checkRejects(registry.getAsync(Greeting, {cancellable}), Gio.io_error_quark(),
        Gio.IOErrorEnum.CANCELLED, 'cancelled before it starts');
    registry.close();
    await checkRejects(registry.getAsync(Greeting), Hs.registry_error_quark(),
        Hs.RegistryError.CLOSED, 'closed');
});

let bus = null;
let busName = null;
let service = null;

test('two D-Bus proxies injected, initialized at the same time', async () => {
    // A private bus: Gio.TestDBus's watcher process outlives GJS and keeps
    // the test's output open, so the test runs dbus-daemon itself.
    bus = Gio.Subprocess.new(['dbus-daemon', '--session', '--nofork', '--print-address'],
        Gio.SubprocessFlags.STDOUT_PIPE);
    const [address] = new Gio.DataInputStream({base_stream: bus.get_stdout_pipe()}).read_line_utf8(null);
    service = Gio.DBusConnection.new_for_address_sync(address,
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        null, null);
    busName = 'org.example.AsyncJs';
    exportSlowObject(service, '/org/example/First', 'first');
    exportSlowObject(service, '/org/example/Second', 'second');
    const reply = service.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
        'org.freedesktop.DBus', 'RequestName', new GLib.Variant('(su)', [busName, 4]),
        null, Gio.DBusCallFlags.NONE, -1, null);
    checkEqual(reply.deepUnpack()[0], 1, 'the service owns its name');

    const registry = new Hs.Registry();
    registry.register(new Endpoint({
        bus_name: busName, first_path: '/org/example/First', second_path: '/org/example/Second',
    }));
    for (const klass of [FirstProxy, SecondProxy, Dashboard])
        registry.register(klass);
    // Their g-connection (construct-only: injected), the private bus.
    registry.register(service);

    const start = GLib.get_monotonic_time();
    const dashboard = await registry.getAsync(Dashboard);
    const elapsed = (GLib.get_monotonic_time() - start) / 1000;
    print(`# two ${DELAY_MS} ms proxies injected in ${elapsed.toFixed(1)} ms`);
    check(dashboard.first instanceof FirstProxy, 'a first proxy');
    check(dashboard.second instanceof SecondProxy, 'a second proxy');
    checkEqual(dashboard.first.get_cached_property('Name').unpack(), 'first', 'its properties loaded');
    checkEqual(dashboard.second.get_cached_property('Name').unpack(), 'second', 'its properties loaded');
    check(elapsed >= DELAY_MS - 10 && elapsed < 1.66 * DELAY_MS, `at the same time (${elapsed} ms)`);

    // Closing the registry while they are in flight: cancelled.
    const request = new Hs.Registry({parent: registry});
    const pending = request.getAsync(Dashboard);
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 50, () => {
        request.close();
        return GLib.SOURCE_REMOVE;
    });
    await checkRejects(pending, Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED, 'closed in flight');
});

runAsync(5000, () => {
    if (service !== null)
        service.close_sync(null);
    if (bus !== null)
        bus.force_exit();
});
