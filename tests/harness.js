// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The tiny harness of the GJS suites (test-registry.js, test-inject.js,
// test-manager.js): each check prints a line; a failed check throws. run()
// runs the tests in order, prints "ok N - name" or "not ok N - name" for
// each, the plan and a summary, and exits 1 when any test fails.
//
// A module of GJS's legacy import system: a suite puts its own directory at
// the front of imports.searchPath and reads the helpers from imports.harness,
// so that this file works next to the suites in the source tree and in the
// installed tests alike. Only var and function declarations are exported.
// The suites pick the Hs version (imports.gi.versions.Hs) before importing it.

const {GObject, GLib, Hs} = imports.gi;
const System = imports.system;

var tests = [];
var checks = 0;

function test(name, func) {
    tests.push({name, func});
}

function check(ok, message) {
    checks++;
    if (!ok)
        throw new Error(`check failed: ${message}`);
    print(`    ok - ${message}`);
}

function checkEqual(actual, expected, message) {
    check(actual === expected,
        `${message} (expected ${String(expected)}, got ${String(actual)})`);
}

function typeName(obj) {
    return obj === null || obj === undefined ? String(obj) : GObject.type_name(obj.constructor.$gtype);
}

function checkType(obj, klass, message) {
    check(obj !== null && obj !== undefined && obj.constructor.$gtype === klass.$gtype,
        `${message}: a ${GObject.type_name(klass.$gtype)} (got ${typeName(obj)})`);
    return obj;
}

function checkIncludes(text, part, message) {
    check(String(text).includes(part), `${message}: “${text}” mentions ${part}`);
}

// Runs func, which must throw a GLib.Error matching domain and code.
function checkThrowsError(domain, code, func, message) {
    let error = null;
    try {
        func();
    } catch (e) {
        error = e;
    }
    check(error instanceof GLib.Error, `${message}: throws a GLib.Error (got ${error})`);
    check(error.matches(domain, code),
        `${message}: error matches code ${code} (got ${error.code}: ${error.message})`);
    checkEqual(error.code, code, `${message}: error code`);
    return error;
}

function checkHsError(code, func, message) {
    return checkThrowsError(Hs.RegistryError, code, func, message);
}

// hs_registry_get_with_properties, as bindings see it ("get").
function get(registry, klass, context = null, props = {}) {
    return registry.get_with_properties(klass.$gtype, context, Object.keys(props), Object.values(props));
}

// The body of each suite's test "the typelib is the build tree's": the Hs
// typelib loaded is the build tree's. Skipped (a "skip" line) outside meson
// test, or without the GIRepository typelib.
function checkTypelibIsTheBuildTrees() {
    const builddir = GLib.getenv('G_TEST_BUILDDIR');
    if (builddir === null) {
        print('    skip - not run by meson test');
        return;
    }
    let GIRepository;
    try {
        imports.gi.versions.GIRepository = '2.0';
        GIRepository = imports.gi.GIRepository;
    } catch (e) {
        print(`    skip - no GIRepository typelib: ${e.message}`);
        return;
    }
    const path = GIRepository.Repository.get_default().get_typelib_path('Hs');
    const expected = GLib.build_filenamev([GLib.path_get_dirname(builddir), 'hopscotch', 'Hs-1.typelib']);
    checkEqual(GLib.canonicalize_filename(path, null), GLib.canonicalize_filename(expected, null),
        'Hs-1.typelib path');
}

function _notOk(i, name, e) {
    print(`not ok ${i + 1} - ${name}: ${e.message ?? e}`);
    if (e.stack)
        printerr(e.stack);
}

function _plan(failed) {
    print(`1..${tests.length}`);
    print(`# ${tests.length - failed}/${tests.length} tests passed, ${checks} checks`);
}

// Runs the tests added with test(), in order, in a GLib main loop, each
// awaited when it returns a promise and failed when it takes more than
// timeoutMs (a hang); exits 1 when any fails. `cleanup` runs at the end.
function runAsync(timeoutMs = 5000, cleanup = () => {}) {
    const loop = new GLib.MainLoop(null, false);
    let failed = 0;
    (async () => {
        for (const [i, {name, func}] of tests.entries()) {
            print(`# ${name}`);
            let guard = 0;
            try {
                // eslint-disable-next-line no-await-in-loop
                await Promise.race([
                    Promise.resolve().then(func),
                    new Promise((_, reject) => {
                        guard = GLib.timeout_add(GLib.PRIORITY_DEFAULT, timeoutMs, () => {
                            guard = 0;
                            reject(new Error(`more than ${timeoutMs} ms: a hang`));
                            return GLib.SOURCE_REMOVE;
                        });
                    }),
                ]);
                print(`ok ${i + 1} - ${name}`);
            } catch (e) {
                failed++;
                _notOk(i, name, e);
            } finally {
                if (guard !== 0)
                    GLib.source_remove(guard);
            }
        }
        _plan(failed);
        cleanup();
        loop.quit();
    })();
    loop.run();
    if (failed > 0)
        System.exit(1);
}

// Runs the tests added with test(), in order; exits 1 when any fails.
function run() {
    let failed = 0;
    tests.forEach(({name, func}, i) => {
        print(`# ${name}`);
        try {
            func();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            _notOk(i, name, e);
        }
    });
    _plan(failed);
    if (failed > 0)
        System.exit(1);
}
