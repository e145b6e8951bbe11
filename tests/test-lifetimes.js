// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Lifetimes and closing from GJS through the introspected API (SPEC 9):
// lazy singletons and scoped objects across parents and children, the
// holder's context, closing order, the cancellable and the signal, CLOSED
// errors and props with lifetimes. Prints one line per check and exits 1
// when any test fails.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Hs} = imports.gi;
const System = imports.system;

imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, checkEqual, checkHsError, checkTypelibIsTheBuildTrees, get, run} =
    imports.harness;

const NONE = GObject.TYPE_NONE;

const Service = GObject.registerClass({GTypeName: 'LifeService'},
    class Service extends GObject.Object {});
const Index = GObject.registerClass({GTypeName: 'LifeJsIndex'},
    class Index extends GObject.Object {});
const Customer = GObject.registerClass({
    GTypeName: 'LifeJsCustomer',
    Properties: {
        'name': GObject.ParamSpec.string('name', '', '', GObject.ParamFlags.READWRITE, ''),
    },
}, class Customer extends GObject.Object {});

test('the typelib is the build tree\'s', checkTypelibIsTheBuildTrees);

test('lifetime enum', () => {
    checkEqual(Hs.Lifetime.TRANSIENT, 0, 'TRANSIENT');
    checkEqual(Hs.Lifetime.SINGLETON, 1, 'SINGLETON');
    checkEqual(Hs.Lifetime.SCOPED, 2, 'SCOPED');
    checkEqual(Hs.RegistryError.CLOSED, 7, 'CLOSED after TOO_DEEP');
    checkEqual(Hs.RegistryError.NOT_SINGLETON, 8, 'NOT_SINGLETON after CLOSED');
});

test('lazy singleton shared by descendants', () => {
    const root = new Hs.Registry();
    root.register_type_full(Service.$gtype, NONE, NONE, Hs.Lifetime.SINGLETON);
    const child = new Hs.Registry({parent: root});
    const other = new Hs.Registry({parent: root});
    const first = get(child, Service);
    check(first === get(other, Service), 'siblings share it');
    check(first === get(root, Service), 'the holder shares it');
    checkEqual(root.lookup(Service.$gtype, null).get_lifetime(), Hs.Lifetime.SINGLETON, 'lookup shows it');
});

test('scoped per registry', () => {
    const root = new Hs.Registry();
    root.register_type_full(Service.$gtype, NONE, NONE, Hs.Lifetime.SCOPED);
    const a = new Hs.Registry({parent: root});
    const b = new Hs.Registry({parent: root});
    check(get(a, Service) === get(a, Service), 'once in a child');
    check(get(a, Service) !== get(b, Service), 'each child its own');
    check(get(a, Service) !== get(root, Service), 'the parent its own');
});

test('factories: the holder\'s context for a lazy singleton', () => {
    const rootCtx = new Customer({name: 'root'});
    const childCtx = new Customer({name: 'child'});
    const root = new Hs.Registry({context: rootCtx});
    const seen = [];
    root.register_factory_full(Service.$gtype, NONE, Hs.Lifetime.SINGLETON, (registry, context) => {
        seen.push([registry, context]);
        return new Service();
    });
    const child = new Hs.Registry({parent: root, context: childCtx});
    check(get(child, Service) === get(child, Service), 'built once');
    checkEqual(seen.length, 1, 'one call');
    check(seen[0][0] === root, 'built by the holder');
    checkEqual(seen[0][1].name, 'root', 'with the holder\'s context');
});

test('close: order, cancellable, signal, CLOSED', () => {
    const root = new Hs.Registry();
    root.register_type_full(Service.$gtype, NONE, NONE, Hs.Lifetime.SCOPED);
    root.register_type_full(Index.$gtype, NONE, NONE, Hs.Lifetime.SCOPED);
    const request = new Hs.Registry({parent: root});
    const index = get(request, Index);
    const service = get(request, Service);
    const seen = [];
    request.connect('closed', r => seen.push([r.is_closed(), r.get_cancellable().is_cancelled()]));
    check(!request.is_closed(), 'open');
    request.close();
    checkEqual(JSON.stringify(seen), JSON.stringify([[true, true]]), 'the signal sees it closed and cancelled');
    request.close();
    checkEqual(seen.length, 1, 'closing twice is a no-op');
    checkHsError(Hs.RegistryError.CLOSED, () => get(request, Service), 'get fails');
    checkHsError(Hs.RegistryError.CLOSED,
        () => request.register_type(Customer.$gtype, NONE, NONE), 'register fails');
    checkHsError(Hs.RegistryError.CLOSED, () => request.inject(new Customer(), null), 'inject fails');
    check(service instanceof Service && index instanceof Index, 'objects still held by JS stay usable');
});

test('props: kept registrations are no candidates', () => {
    const root = new Hs.Registry();
    root.register_type_full(Customer.$gtype, NONE, NONE, Hs.Lifetime.SINGLETON);
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(root, Customer, null, {name: 'x'}), 'not found');
    root.register_type(Customer.$gtype, NONE, NONE);
    checkEqual(get(root, Customer, null, {name: 'x'}).name, 'x', 'a transient one takes them');
});

test('peek: singletons built already, borrowed', () => {
    const root = new Hs.Registry();
    const service = new Service();
    root.register_instance(service, NONE, NONE);
    const child = new Hs.Registry({parent: root});
    check(root.peek(Service.$gtype, null) === service, 'the instance');
    check(child.peek(Service.$gtype, null) === service, 'from a child');
    root.register_type_full(Index.$gtype, NONE, NONE, Hs.Lifetime.SINGLETON);
    checkHsError(Hs.RegistryError.NOT_SINGLETON, () => child.peek(Index.$gtype, null),
        'a lazy singleton not built yet');
    const index = get(child, Index);
    check(child.peek(Index.$gtype, null) === index, 'once built');
    root.register_type(Customer.$gtype, NONE, NONE);
    checkHsError(Hs.RegistryError.NOT_SINGLETON, () => root.peek(Customer.$gtype, null), 'a type');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => new Hs.Registry().peek(Service.$gtype, null),
        'nothing answers');
});

run();
