// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The registry manager from GJS (SPEC 7): registry functions written in
// JavaScript (add_registry_function), subscribe, the signals, unload
// functions added from inside a function, unload_owner, a function that
// throws, and loading real modules. Runs against the uninstalled build's
// typelib (GI_TYPELIB_PATH is set by meson test). Prints one line per check
// and exits 1 when any test fails.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Hs} = imports.gi;
const System = imports.system;

// The shared harness, harness.js next to this file.
imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, run} = imports.harness;

const NONE = GObject.TYPE_NONE;

const Greeting = GObject.registerClass({
    GTypeName: 'JsManagerGreeting',
}, class Greeting extends GObject.Object {});

// A fresh key type: each function runs once per process, so every test uses
// keys of its own.
function newKey(name) {
    return GObject.registerClass({GTypeName: name}, class extends GObject.Object {}).$gtype;
}

function modulePath(name) {
    return GLib.build_filenamev([GLib.getenv('G_TEST_BUILDDIR'), 'modules', `${name}.so`]);
}

// This suite's own helpers, on top of the harness's check: checkEqual
// compares values as JSON (the logs are arrays), not with ===.
function checkEqual(actual, expected, message) {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    check(a === e, `${message} (expected ${e}, got ${a})`);
}

function checkThrowsManagerError(code, func, message) {
    let error = null;
    try {
        func();
    } catch (e) {
        error = e;
    }
    check(error instanceof GLib.Error, `${message}: throws a GLib.Error (got ${error})`);
    check(error.matches(Hs.RegistryManagerError, code),
        `${message}: error matches code ${code} (got ${error.code}: ${error.message})`);
}

const manager = Hs.RegistryManager.get_default();

// Connects handlers for the length of one test.
function withHandlers(connections, func) {
    const ids = connections.map(([signal, callback, after]) =>
        after ? manager.connect_after(signal, callback) : manager.connect(signal, callback));
    try {
        func();
    } finally {
        ids.forEach(id => manager.disconnect(id));
    }
}

test('get_default is a singleton', () => {
    check(Hs.RegistryManager.get_default() === manager, 'same object');
});

test('functions run on subscribe, in order, once', () => {
    const key = newKey('JsKeyOrder');
    const log = [];
    manager.add_registry_function(key, 'js-order', m => {
        check(m === manager, 'the manager is passed');
        log.push('one');
        return true;
    });
    manager.add_registry_function(key, 'js-order', () => log.push('two') > 0);
    checkEqual(log, [], 'nothing ran before subscribing');
    check(!manager.is_subscribed(key), 'not subscribed');

    manager.subscribe(key);
    checkEqual(log, ['one', 'two'], 'ran in order');
    check(manager.is_subscribed(key), 'subscribed');
    manager.subscribe(key);
    checkEqual(log, ['one', 'two'], 'subscribing again is a no-op');

    manager.add_registry_function(key, 'js-order', () => log.push('three') > 0);
    checkEqual(log, ['one', 'two', 'three'], 'added when subscribed: runs at once');
    check(manager.unload_owner('js-order'), 'unload_owner');
});

test('nested subscription', () => {
    const outer = newKey('JsKeyOuter'), inner = newKey('JsKeyInner');
    const log = [];
    manager.add_registry_function(outer, 'js-nested', m => {
        log.push('outer-start');
        m.subscribe(inner);
        log.push('inner-done');
        m.subscribe(outer);
        log.push('outer-end');
        return true;
    });
    manager.add_registry_function(outer, 'js-nested', () => log.push('outer-after') > 0);
    manager.add_registry_function(inner, 'js-nested', () => log.push('inner') > 0);
    manager.subscribe(outer);
    checkEqual(log, ['outer-start', 'inner', 'inner-done', 'outer-end', 'outer-after'],
        'the inner key completes first; the running key returns at once');
    manager.unload_owner('js-nested');
});

test('a function that throws is reported, the others still run', () => {
    const key = newKey('JsKeyThrows');
    const log = [];
    manager.add_registry_function(key, 'js-throws', () => log.push('before') > 0);
    manager.add_registry_function(key, 'js-throws', () => {
        throw new Error('boom');
    });
    manager.add_registry_function(key, 'js-throws', () => log.push('after') > 0);
    manager.subscribe(key);
    checkEqual(log, ['before', 'after'], 'the other functions ran');
    manager.unload_owner('js-throws');
});

test('subscribed is detailed; unsubscribed', () => {
    const key = newKey('JsKeySignal'), other = newKey('JsKeySignalOther');
    const log = [];
    withHandlers([
        ['subscribed::JsKeySignal', (m, k) => log.push(['sub', GObject.type_name(k)])],
        ['unsubscribed', (m, k) => log.push(['unsub', GObject.type_name(k)])],
    ], () => {
        manager.subscribe(other);
        manager.subscribe(key);
        manager.subscribe(key);
        manager.unsubscribe(key);
        manager.unsubscribe(key);
    });
    checkEqual(log, [['sub', 'JsKeySignal'], ['unsub', 'JsKeySignal']], 'signals');
    manager.unsubscribe(other);
});

test('module-loaded, unloaded and the unload functions, in order', () => {
    const key = newKey('JsKeyUnload');
    const log = [];
    withHandlers([
        ['module-loaded', (m, name) => log.push(`loaded:${name}`)],
        ['unloaded', (m, name) => log.push(`before:${name}`)],
        ['unloaded', (m, name) => log.push(`after:${name}`), true],
    ], () => {
        manager.subscribe(key);
        manager.add_registry_function(key, 'js-signals', m => {
            log.push('ran');
            check(m.add_function_for_unload(() => log.push('unload-1')), 'attached inside');
            check(m.add_function_for_unload(() => log.push('unload-2')), 'attached inside');
            return true;
        });
        checkEqual(log, ['ran', 'loaded:js-signals'], 'ran, then module-loaded');
        log.length = 0;
        check(manager.unload_owner('js-signals'), 'unload_owner');
        checkEqual(log, ['before:js-signals', 'unload-1', 'unload-2', 'after:js-signals'],
            'connect, unload functions, connect_after');
        check(!manager.unload_owner('js-signals'), 'unknown owner');
    });
});

test('add_function_for_unload outside a function', () => {
    let ran = false;
    check(!manager.add_function_for_unload(() => {
        ran = true;
    }), 'returns false');
    check(!ran, 'never called');
});

test('registrations go with their owner', () => {
    const key = newKey('JsKeyOwned');
    const registry = new Hs.Registry();
    const kept = registry.register_type(Greeting.$gtype, NONE, NONE);
    manager.add_registry_function(key, 'js-owned', () => {
        registry.register_instance(new Greeting(), NONE, NONE);
        return true;
    });
    manager.subscribe(key);
    checkEqual(registry.lookup(Greeting.$gtype, null).registration_type,
        Hs.RegistrationType.INSTANCE, 'the function registered a singleton');
    manager.unload_owner('js-owned');
    checkEqual(registry.lookup(Greeting.$gtype, null).id, kept, 'only the own registration is left');
});

test('a pending function of an unloaded owner never runs', () => {
    const key = newKey('JsKeyForgotten');
    let ran = false;
    manager.add_registry_function(key, 'js-forgotten', () => {
        ran = true;
        return true;
    });
    check(manager.unload_owner('js-forgotten'), 'unload_owner');
    manager.subscribe(key);
    check(!ran, 'never ran');
});

test('module errors', () => {
    checkThrowsManagerError(Hs.RegistryManagerError.NOT_FOUND,
        () => manager.load_module('/nonexistent/plugin.so'), 'missing file');
    checkThrowsManagerError(Hs.RegistryManagerError.NOT_LOADED,
        () => manager.unload_module(modulePath('plugin-b')), 'not loaded');
});

test('a real module', () => {
    const log = [];
    withHandlers([
        ['module-loaded', (m, name) => log.push(`loaded:${GLib.path_get_basename(name)}`)],
        ['unloaded', (m, name) => log.push(`unloaded:${GLib.path_get_basename(name)}`)],
    ], () => {
        manager.load_module(modulePath('plugin-b'));
        manager.unload_module(modulePath('plugin-b'));
    });
    checkEqual(log, ['loaded:plugin-b.so', 'unloaded:plugin-b.so'], 'signals');
});

// Run

run();
