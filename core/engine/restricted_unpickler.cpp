#include "restricted_unpickler.h"

#include "error.h"
#include "pickle_machine.h"

namespace medvae {

using Kind = PickleValue::Kind;

namespace {

// Globals whose only purpose in a pickle is to run code or touch the system. Seeing one means the
// file is hostile or not a checkpoint; it is refused outright rather than kept as an opaque value.
bool isCodeExecutionGlobal(const std::string& module, const std::string& name) {
    // clang-format off
    static const char* const modules[] = {
        "os", "posix", "nt", "subprocess", "_posixsubprocess", "sys", "shutil", "socket", "runpy",
        "pty", "importlib", "pickle", "_pickle", "marshal", "ctypes", "webbrowser", "code",
        "codeop", "commands", "multiprocessing", "signal", "timeit", "pdb", "bdb", "trace",
        "cProfile", "profile", "doctest"};
    // clang-format on
    std::string root = module.substr(0, module.find('.'));
    for (const char* m : modules)
        if (root == m) return true;
    if (module == "builtins" || module == "__builtin__") {
        static const char* const names[] = {"eval",       "exec",       "compile", "open", "input",
                                            "__import__", "breakpoint", "exit",    "quit"};
        for (const char* n : names)
            if (name == n) return true;
    }
    return false;
}

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

}  // namespace

bool RestrictedUnpickler::isExpectedGlobal(const std::string& global) {
    static const char* const exact[] = {"collections.OrderedDict",
                                        "collections.defaultdict",
                                        "torch._utils._rebuild_tensor_v2",
                                        "torch._utils._rebuild_tensor",
                                        "torch._utils._rebuild_parameter",
                                        "torch._tensor._rebuild_from_type_v2",
                                        "torch._utils._rebuild_from_type_v2",
                                        "torch.Size",
                                        "torch.device",
                                        "torch.float32",
                                        "torch.float16",
                                        "torch.bfloat16",
                                        "builtins.set",
                                        "builtins.frozenset",
                                        "builtins.slice",
                                        "builtins.complex",
                                        "builtins.bytearray",
                                        "__builtin__.set",
                                        "argparse.Namespace",
                                        "pathlib.PosixPath",
                                        "pathlib.WindowsPath",
                                        "pathlib.Path",
                                        "numpy.dtype",
                                        "numpy.ndarray",
                                        "numpy.core.multiarray.scalar",
                                        "numpy.core.multiarray._reconstruct",
                                        "numpy._core.multiarray.scalar",
                                        "numpy._core.multiarray._reconstruct",
                                        "_codecs.encode",
                                        "datetime.datetime",
                                        "datetime.date",
                                        "datetime.timedelta"};
    for (const char* e : exact)
        if (global == e) return true;
    DType dtype;
    return startsWith(global, "torch.") && dtypeOfStorageType(global.substr(6), dtype);
}

namespace {

// "torch.FloatStorage" -> float32, ...
bool storageDType(const std::string& global, DType& dtype) {
    return global.rfind("torch.", 0) == 0 && dtypeOfStorageType(global.substr(6), dtype);
}

}  // namespace

RestrictedUnpickler::RestrictedUnpickler(std::string sourceName, Limits limits)
    : source_(std::move(sourceName)), limits_(limits) {}

void RestrictedUnpickler::fail(const std::string& what) const {
    throw Error("'" + source_ + "': invalid or unsupported pickle data at byte " +
                std::to_string(offset_) + ": " + what);
}

PickleValue* RestrictedUnpickler::make(Kind kind) {
    if (arena_.size() >= limits_.maxValues)
        fail("too many values (limit " + std::to_string(limits_.maxValues) + ")");
    arena_.emplace_back();
    arena_.back().kind = kind;
    return &arena_.back();
}

PickleValue* RestrictedUnpickler::global(const std::string& module, const std::string& name) {
    if (isCodeExecutionGlobal(module, name))
        fail("it references " + module + "." + name +
             ", which would run code when loaded by Python; refusing this file");
    globals_.insert(module + "." + name);
    PickleValue* value = make(Kind::Global);
    value->text = module + "." + name;
    return value;
}

const PickleValue* RestrictedUnpickler::load(const std::uint8_t* data, std::size_t size) {
    PickleMachine machine(*this, data, size);
    return machine.run();
}

PickleValue* RestrictedUnpickler::persistentLoad(PickleValue* pid) {
    // torch.save's persistent id: ('storage', <torch.XStorage>, key, location, numel)
    if (pid->kind != Kind::Tuple || pid->items.size() < 5 || !pid->items[0]->isString() ||
        pid->items[0]->text != "storage")
        fail("unsupported persistent id (" + pid->describe() + ")");
    const PickleValue* type = pid->items[1];
    DType dtype;
    if (type->kind != Kind::Global || !storageDType(type->text, dtype))
        fail("unsupported storage type (" + type->describe() + ")");
    const PickleValue* key = pid->items[2];
    const PickleValue* numel = pid->items[4];
    if (!key->isString() || numel->kind != Kind::Int || numel->integer < 0)
        fail("malformed storage reference");
    PickleValue* storage = make(Kind::Storage);
    storage->dtype = dtype;
    storage->text = key->text;
    storage->storageNumel = numel->integer;
    return storage;
}

PickleValue* RestrictedUnpickler::rebuildTensor(PickleValue* args, bool v2) {
    // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])
    // _rebuild_tensor(storage, offset, size, stride)
    if (args->kind != Kind::Tuple || args->items.size() < (v2 ? 5u : 4u))
        fail("malformed tensor record");
    PickleValue* storage = args->items[0];
    if (storage->kind != Kind::Storage)
        fail("a tensor's storage is " + storage->describe() + ", not a storage");
    PickleValue* offset = args->items[1];
    if (offset->kind != Kind::Int || offset->integer < 0) fail("malformed tensor offset");
    std::vector<std::int64_t> sizes, strides;
    readShape(args->items[2], args->items[3], sizes, strides);
    PickleValue* t = make(Kind::Tensor);
    t->storage = storage;
    t->dtype = storage->dtype;
    t->storageOffset = offset->integer;
    t->sizes = std::move(sizes);
    t->strides = std::move(strides);
    return t;
}

void RestrictedUnpickler::readShape(const PickleValue* size, const PickleValue* stride,
                                    std::vector<std::int64_t>& sizes,
                                    std::vector<std::int64_t>& strides) const {
    if (size->kind != Kind::Tuple || stride->kind != Kind::Tuple ||
        size->items.size() != stride->items.size() || size->items.size() > 16)
        fail("malformed tensor size/stride");
    for (std::size_t i = 0; i < size->items.size(); ++i) {
        const PickleValue* s = size->items[i];
        const PickleValue* st = stride->items[i];
        if (s->kind != Kind::Int || st->kind != Kind::Int || s->integer < 0 || st->integer < 0)
            fail("malformed tensor size/stride");
        sizes.push_back(s->integer);
        strides.push_back(st->integer);
    }
}

PickleValue* RestrictedUnpickler::call(PickleValue* callable, PickleValue* args) {
    const std::string name = callable->kind == Kind::Global ? callable->text : "";
    if (args->kind == Kind::Tuple) {
        if (name == "collections.OrderedDict") return orderedDict(args);
        if (name == "torch._utils._rebuild_tensor_v2") return rebuildTensor(args, true);
        if (name == "torch._utils._rebuild_tensor") return rebuildTensor(args, false);
        if (name == "torch._utils._rebuild_parameter" ||
            name == "torch._utils._rebuild_parameter_with_state") {
            // (data, requires_grad, backward_hooks[, state]): a Parameter is its data here.
            if (args->items.empty() || args->items[0]->kind != Kind::Tensor)
                fail("malformed parameter record");
            return args->items[0];
        }
        if (name == "torch._tensor._rebuild_from_type_v2") return rebuildFromType(args);
    }
    // Anything else is kept as an opaque value and never run.
    PickleValue* obj = make(Kind::Object);
    obj->text = name.empty() ? "an unknown callable" : name;
    obj->args = args;
    return obj;
}

PickleValue* RestrictedUnpickler::orderedDict(PickleValue* args) {
    PickleValue* d = make(Kind::Dict);
    // OrderedDict(iterable_of_pairs) also occurs; accept it when the pairs are plain.
    if (args->items.empty() || args->items[0]->kind != Kind::List) return d;
    copied_ += 2 * args->items[0]->items.size();
    if (copied_ > limits_.maxValues)
        fail("too many values (limit " + std::to_string(limits_.maxValues) + ")");
    for (PickleValue* pair : args->items[0]->items) {
        if ((pair->kind != Kind::Tuple && pair->kind != Kind::List) || pair->items.size() != 2)
            fail("malformed OrderedDict items");
        d->items.push_back(pair->items[0]);
        d->items.push_back(pair->items[1]);
    }
    return d;
}

PickleValue* RestrictedUnpickler::rebuildFromType(PickleValue* args) {
    // (func, type, func_args, state): only plain tensor rebuilds are followed.
    if (args->items.size() < 3) fail("malformed tensor record");
    const PickleValue* type = args->items[1];
    if (type->kind != Kind::Global ||
        (type->text != "torch.Tensor" && type->text != "torch.nn.parameter.Parameter"))
        fail("tensor subclass " + type->describe() + " is not supported");
    PickleValue* func = args->items[0];
    if (func->kind != Kind::Global || func->text.rfind("torch._utils._rebuild_", 0) != 0)
        fail("tensor rebuilt by " + func->describe() + " is not supported");
    return call(func, args->items[2]);
}

}  // namespace medvae
