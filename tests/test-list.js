// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Live lists from GJS (SPEC 11): a list of the introspected API is
// iterable (for...of), follows registrations as they come and go
// (items-changed), and the JavaScript layer's list(), getAll() and
// build() of an item. Prints one line per check and exits 1 when any
// test fails.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Hs} = imports.gi;
const System = imports.system;

imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, checkEqual, checkHsError, checkTypelibIsTheBuildTrees, run} =
    imports.harness;
imports.hopscotch;

const NONE = GObject.TYPE_NONE;

const Transformer = GObject.registerClass({GTypeName: 'ListJsTransformer'},
    class Transformer extends GObject.Object {});
const Blur = GObject.registerClass({GTypeName: 'ListJsBlur'},
    class Blur extends Transformer {});
const Sharpen = GObject.registerClass({GTypeName: 'ListJsSharpen'},
    class Sharpen extends Transformer {});
const French = GObject.registerClass({GTypeName: 'ListJsFrench'},
    class French extends GObject.Object {});

const ids = model => Array.from(model, registration => registration.id);

test('the typelib is the build tree\'s', checkTypelibIsTheBuildTrees);

test('a list is iterable, in precedence order', () => {
    const root = new Hs.Registry();
    const blur = root.register_type(Blur.$gtype, Transformer.$gtype, NONE);
    const french = root.register_type(Sharpen.$gtype, Transformer.$gtype, French.$gtype);
    const single = root.register_instance(new Blur(), Transformer.$gtype, NONE);
    const request = new Hs.Registry({parent: root, context: new French()});
    const own = request.register_type(Blur.$gtype, Transformer.$gtype, NONE);
    const seen = [];
    for (const registration of request.list(Transformer.$gtype, null))
        seen.push(registration.id);
    checkEqual(seen.join(' '), [own, french, single, blur].join(' '), 'the child first');
    checkEqual(ids(root.list(Transformer.$gtype, null)).join(' '), [single, blur].join(' '),
        'no context: no French one');
    checkEqual(request.list(Transformer, null).get_n_items(), 4, 'the layer takes a class');
    checkEqual(request.lookup(Transformer.$gtype, null).id,
        request.list(Transformer.$gtype, null).get_item(0).id, 'item 0 is what lookup answers');
});

test('items-changed as registrations come and go', () => {
    const root = new Hs.Registry();
    const child = new Hs.Registry({parent: root});
    const model = child.list(Transformer);
    const changes = [];
    model.connect('items-changed', (m, position, removed, added) =>
        changes.push(`${position},${removed},${added}`));
    const first = root.register(Blur, {kind: Transformer});
    child.register(Sharpen, {kind: Transformer});
    root.register(French);
    checkEqual(changes.join(';'), '0,0,1;0,0,1', 'two additions, nothing for another kind');
    root.unregister(first);
    checkEqual(changes.join(';'), '0,0,1;0,0,1;1,1,0', 'a removal from the parent');
    root.close();
    checkEqual(changes[changes.length - 1], '0,1,0', 'closing empties it');
    checkEqual(model.get_n_items(), 0, 'empty');
});

test('getAll() and build() of an item', () => {
    const root = new Hs.Registry();
    const instance = new Blur();
    root.register(instance, {kind: Transformer});
    root.register(Sharpen, {kind: Transformer, lifetime: Hs.Lifetime.SINGLETON});
    root.register(() => new Blur(), {kind: Transformer});
    const child = new Hs.Registry({parent: root});
    const all = child.getAll(Transformer);
    checkEqual(all.length, 3, 'three');
    check(all[0] === instance, 'the instance first');
    check(all[1] instanceof Blur, 'then the factory');
    check(all[2] instanceof Sharpen, 'then the lazy singleton');
    const model = child.list(Transformer);
    check(child.build(model.get_item(2)) === all[2], 'a lazy singleton is built once');
    check(child.build(model.get_item(1), null) !== all[1], 'a factory is called again');
    checkEqual(new Hs.Registry().getAll(Transformer).length, 0, 'nothing: empty');
    const other = new Hs.Registry();
    other.register(Blur, {kind: Transformer});
    checkHsError(Hs.RegistryError.NOT_FOUND, () => child.build(other.list(Transformer).get_item(0)),
        'a registration of another registry');
});

run();
