#include "restricted_unpickler.h"

#include <cstring>
#include <limits>
#include <unordered_map>
#include <vector>

#include "error.h"

namespace medvae {

using Kind = PickleValue::Kind;

const PickleValue* PickleValue::get(const std::string& key) const {
    if (kind != Kind::Dict) return nullptr;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
        if (items[i]->kind == Kind::String && items[i]->text == key) return items[i + 1];
    return nullptr;
}

std::string PickleValue::describe() const {
    switch (kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "a boolean";
        case Kind::Int:
        case Kind::BigInt:
            return "an integer";
        case Kind::Float:
            return "a number";
        case Kind::String:
            return "a string";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "a tuple";
        case Kind::List:
            return "a list";
        case Kind::Dict:
            return "a dict";
        case Kind::Set:
            return "a set";
        case Kind::Global:
            return "a reference to " + text;
        case Kind::Object:
            return "an object built by " + text + " (not allowed, never run)";
        case Kind::Storage:
            return "a storage";
        case Kind::Tensor:
            return "a tensor";
    }
    return "a value";
}

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

enum Op : std::uint8_t {
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    FLOAT = 'F',
    INT = 'I',
    BININT = 'J',
    BININT1 = 'K',
    LONG = 'L',
    BININT2 = 'M',
    NONE = 'N',
    PERSID = 'P',
    BINPERSID = 'Q',
    REDUCE = 'R',
    STRING = 'S',
    BINSTRING = 'T',
    SHORT_BINSTRING = 'U',
    UNICODE = 'V',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    DICT = 'd',
    EMPTY_DICT = '}',
    APPENDS = 'e',
    GET = 'g',
    BINGET = 'h',
    INST = 'i',
    LONG_BINGET = 'j',
    LIST = 'l',
    EMPTY_LIST = ']',
    OBJ = 'o',
    PUT = 'p',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    BINFLOAT = 'G',
    PROTO = 0x80,
    NEWOBJ = 0x81,
    EXT1 = 0x82,
    EXT2 = 0x83,
    EXT4 = 0x84,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    LONG4 = 0x8b,
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    BINBYTES8 = 0x8e,
    EMPTY_SET = 0x8f,
    ADDITEMS = 0x90,
    FROZENSET = 0x91,
    NEWOBJ_EX = 0x92,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
    BYTEARRAY8 = 0x96,
    NEXT_BUFFER = 0x97,
    READONLY_BUFFER = 0x98,
};

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

const PickleValue* RestrictedUnpickler::load(const std::uint8_t* data, std::size_t size) {
    std::vector<PickleValue*> stack;
    std::vector<std::size_t> marks;
    std::unordered_map<std::uint32_t, PickleValue*> memo;
    std::size_t pos = 0;

    auto need = [&](std::size_t n) {
        if (n > size - pos) {
            offset_ = pos;
            fail("unexpected end of data (the file is truncated)");
        }
    };
    auto u8 = [&]() -> std::uint32_t {
        need(1);
        return data[pos++];
    };
    auto le = [&](int n) -> std::uint64_t {
        need(std::size_t(n));
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i)
            v |= std::uint64_t(data[pos + i]) << (8 * i);
        pos += std::size_t(n);
        return v;
    };
    auto bytes = [&](std::uint64_t n) -> std::string {
        if (n > size - pos) {
            offset_ = pos;
            fail("a string or bytes length (" + std::to_string(n) +
                 ") runs past the end of the data");
        }
        std::string s(reinterpret_cast<const char*>(data + pos), std::size_t(n));
        pos += std::size_t(n);
        return s;
    };
    auto line = [&]() -> std::string {
        const void* nl = std::memchr(data + pos, '\n', size - pos);
        if (!nl) {
            offset_ = pos;
            fail("unterminated text argument");
        }
        std::size_t n = std::size_t(static_cast<const std::uint8_t*>(nl) - (data + pos));
        std::string s(reinterpret_cast<const char*>(data + pos), n);
        pos += n + 1;
        return s;
    };
    auto push = [&](PickleValue* v) {
        if (stack.size() >= limits_.maxStack) fail("stack too deep");
        stack.push_back(v);
    };
    auto pop = [&]() -> PickleValue* {
        if (stack.empty() || (!marks.empty() && stack.size() <= marks.back()))
            fail("stack underflow");
        PickleValue* v = stack.back();
        stack.pop_back();
        return v;
    };
    auto top = [&]() -> PickleValue* {
        if (stack.empty() || (!marks.empty() && stack.size() <= marks.back()))
            fail("stack underflow");
        return stack.back();
    };
    auto popMark = [&]() -> std::vector<PickleValue*> {
        if (marks.empty()) fail("no MARK on the stack");
        std::size_t m = marks.back();
        marks.pop_back();
        std::vector<PickleValue*> items(stack.begin() + std::ptrdiff_t(m), stack.end());
        stack.resize(m);
        return items;
    };
    auto makeInt = [&](std::int64_t v) {
        PickleValue* p = make(Kind::Int);
        p->integer = v;
        return p;
    };
    auto makeString = [&](Kind kind, std::string s) {
        PickleValue* p = make(kind);
        p->text = std::move(s);
        return p;
    };
    auto makeSequence = [&](Kind kind, std::vector<PickleValue*> items) {
        PickleValue* p = make(kind);
        p->items = std::move(items);
        return p;
    };
    auto makeGlobal = [&](const std::string& module, const std::string& name) {
        if (isCodeExecutionGlobal(module, name))
            fail("it references " + module + "." + name +
                 ", which would run code when loaded by Python; refusing this file");
        globals_.insert(module + "." + name);
        return makeString(Kind::Global, module + "." + name);
    };
    auto parseDecimal = [&](const std::string& s) -> std::int64_t {
        std::string t = s;
        if (!t.empty() && t.back() == 'L') t.pop_back();
        if (t.empty()) fail("empty integer");
        errno = 0;
        char* end = nullptr;
        long long v = std::strtoll(t.c_str(), &end, 10);
        if (errno != 0 || *end != '\0') fail("integer '" + s.substr(0, 32) + "' not understood");
        return v;
    };
    auto setItems = [&](PickleValue* target, const std::vector<PickleValue*>& kv) {
        if (kv.size() % 2) fail("odd number of items for SETITEMS");
        if (target->kind != Kind::Dict && target->kind != Kind::Object)
            fail("SETITEM on " + target->describe());
        target->items.insert(target->items.end(), kv.begin(), kv.end());
    };
    auto appendItems = [&](PickleValue* target, const std::vector<PickleValue*>& values) {
        if (target->kind == Kind::List || target->kind == Kind::Set) {
            target->items.insert(target->items.end(), values.begin(), values.end());
        } else if (target->kind != Kind::Object) {  // opaque objects swallow their appends
            fail("APPEND on " + target->describe());
        }
    };

    for (;;) {
        offset_ = pos;
        const std::uint32_t op = u8();
        switch (op) {
            case PROTO:
                if (u8() > 5) fail("pickle protocol newer than 5");
                break;
            case FRAME:
                le(8);
                break;
            case STOP: {
                if (stack.size() != 1 || !marks.empty()) fail("STOP with a malformed stack");
                return stack.back();
            }
            case MARK:
                if (marks.size() >= limits_.maxStack) fail("too many MARKs");
                marks.push_back(stack.size());
                break;
            case POP:
                if (!marks.empty() && stack.size() == marks.back()) {
                    marks.pop_back();  // POP of a MARK, as Python allows
                } else {
                    pop();
                }
                break;
            case POP_MARK:
                popMark();
                break;
            case DUP:
                push(top());
                break;
            case NONE:
                push(make(Kind::None));
                break;
            case NEWTRUE:
            case NEWFALSE: {
                PickleValue* p = make(Kind::Bool);
                p->boolean = op == NEWTRUE;
                push(p);
                break;
            }
            case INT: {
                std::string s = line();
                if (s == "00" || s == "01") {
                    PickleValue* p = make(Kind::Bool);
                    p->boolean = s == "01";
                    push(p);
                } else {
                    push(makeInt(parseDecimal(s)));
                }
                break;
            }
            case BININT:
                push(makeInt(std::int32_t(std::uint32_t(le(4)))));
                break;
            case BININT1:
                push(makeInt(std::int64_t(le(1))));
                break;
            case BININT2:
                push(makeInt(std::int64_t(le(2))));
                break;
            case LONG:
                push(makeInt(parseDecimal(line())));
                break;
            case LONG1:
            case LONG4: {
                const std::uint64_t n = op == LONG1 ? le(1) : le(4);
                if (n > size - pos) fail("integer length runs past the end of the data");
                if (n <= 8) {
                    std::uint64_t v = n ? le(int(n)) : 0;
                    if (n && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~std::uint64_t(0) << (8 * n);
                    push(makeInt(std::int64_t(v)));
                } else {
                    pos += std::size_t(n);
                    push(make(Kind::BigInt));
                }
                break;
            }
            case BINFLOAT: {
                need(8);
                std::uint64_t bits = 0;
                for (int i = 0; i < 8; ++i)
                    bits = (bits << 8) | data[pos + i];  // big-endian
                pos += 8;
                PickleValue* p = make(Kind::Float);
                std::memcpy(&p->real, &bits, 8);
                push(p);
                break;
            }
            case FLOAT: {
                std::string s = line();
                PickleValue* p = make(Kind::Float);
                p->real = std::strtod(s.c_str(), nullptr);
                push(p);
                break;
            }
            case STRING: {
                std::string s = line();
                if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') &&
                    s.back() == s.front())
                    s = s.substr(1, s.size() - 2);
                push(makeString(Kind::String, s));
                break;
            }
            case BINSTRING:
                push(makeString(Kind::String, bytes(std::uint32_t(le(4)))));
                break;
            case SHORT_BINSTRING:
                push(makeString(Kind::String, bytes(le(1))));
                break;
            case UNICODE:
                push(makeString(Kind::String, line()));
                break;
            case BINUNICODE:
                push(makeString(Kind::String, bytes(le(4))));
                break;
            case SHORT_BINUNICODE:
                push(makeString(Kind::String, bytes(le(1))));
                break;
            case BINUNICODE8:
                push(makeString(Kind::String, bytes(le(8))));
                break;
            case BINBYTES:
                push(makeString(Kind::Bytes, bytes(le(4))));
                break;
            case SHORT_BINBYTES:
                push(makeString(Kind::Bytes, bytes(le(1))));
                break;
            case BINBYTES8:
            case BYTEARRAY8:
                push(makeString(Kind::Bytes, bytes(le(8))));
                break;
            case EMPTY_TUPLE:
                push(make(Kind::Tuple));
                break;
            case TUPLE1:
            case TUPLE2:
            case TUPLE3: {
                const std::size_t n = op - TUPLE1 + 1;
                std::vector<PickleValue*> items(n);
                for (std::size_t i = n; i-- > 0;)
                    items[i] = pop();
                push(makeSequence(Kind::Tuple, std::move(items)));
                break;
            }
            case TUPLE:
                push(makeSequence(Kind::Tuple, popMark()));
                break;
            case EMPTY_LIST:
                push(make(Kind::List));
                break;
            case LIST:
                push(makeSequence(Kind::List, popMark()));
                break;
            case EMPTY_DICT:
                push(make(Kind::Dict));
                break;
            case DICT: {
                auto kv = popMark();
                if (kv.size() % 2) fail("odd number of items for DICT");
                push(makeSequence(Kind::Dict, std::move(kv)));
                break;
            }
            case EMPTY_SET:
                push(make(Kind::Set));
                break;
            case FROZENSET:
                push(makeSequence(Kind::Set, popMark()));
                break;
            case ADDITEMS: {
                auto values = popMark();
                appendItems(top(), values);
                break;
            }
            case APPEND: {
                PickleValue* v = pop();
                appendItems(top(), {v});
                break;
            }
            case APPENDS: {
                auto values = popMark();
                appendItems(top(), values);
                break;
            }
            case SETITEM: {
                PickleValue* v = pop();
                PickleValue* k = pop();
                setItems(top(), {k, v});
                break;
            }
            case SETITEMS: {
                auto kv = popMark();
                setItems(top(), kv);
                break;
            }
            case GET:
            case BINGET:
            case LONG_BINGET: {
                std::uint32_t idx = op == GET ? std::uint32_t(parseDecimal(line()))
                                              : std::uint32_t(le(op == BINGET ? 1 : 4));
                auto it = memo.find(idx);
                if (it == memo.end()) fail("memo entry " + std::to_string(idx) + " is not defined");
                push(it->second);
                break;
            }
            case PUT:
            case BINPUT:
            case LONG_BINPUT: {
                std::uint32_t idx = op == PUT ? std::uint32_t(parseDecimal(line()))
                                              : std::uint32_t(le(op == BINPUT ? 1 : 4));
                if (memo.size() >= limits_.maxValues) fail("memo too large");
                memo[idx] = top();
                break;
            }
            case MEMOIZE:
                if (memo.size() >= limits_.maxValues) fail("memo too large");
                memo[std::uint32_t(memo.size())] = top();
                break;
            case GLOBAL: {
                std::string module = line();
                std::string name = line();
                push(makeGlobal(module, name));
                break;
            }
            case STACK_GLOBAL: {
                PickleValue* name = pop();
                PickleValue* module = pop();
                if (!module->isString() || !name->isString())
                    fail("STACK_GLOBAL needs two strings");
                push(makeGlobal(module->text, name->text));
                break;
            }
            case REDUCE: {
                PickleValue* args = pop();
                PickleValue* callable = pop();
                push(call(callable, args));
                break;
            }
            case NEWOBJ: {
                PickleValue* args = pop();
                PickleValue* cls = pop();
                push(call(cls, args));
                break;
            }
            case NEWOBJ_EX: {
                pop();  // kwargs
                PickleValue* args = pop();
                PickleValue* cls = pop();
                push(call(cls, args));
                break;
            }
            case OBJ: {
                auto items = popMark();
                if (items.empty()) fail("OBJ without a class");
                PickleValue* cls = items.front();
                items.erase(items.begin());
                push(call(cls, makeSequence(Kind::Tuple, std::move(items))));
                break;
            }
            case INST: {
                std::string module = line();
                std::string name = line();
                PickleValue* cls = makeGlobal(module, name);
                push(call(cls, makeSequence(Kind::Tuple, popMark())));
                break;
            }
            case BUILD: {
                PickleValue* state = pop();
                PickleValue* obj = top();
                // OrderedDict's state is its `_metadata` attribute and a tensor's state holds
                // Python-side attributes: neither matters for the weights, so both are dropped.
                if (obj->kind == Kind::Object) obj->state = state;
                break;
            }
            case PERSID: {
                PickleValue* pid = makeString(Kind::String, line());
                push(persistentLoad(pid));
                break;
            }
            case BINPERSID:
                push(persistentLoad(pop()));
                break;
            case EXT1:
            case EXT2:
            case EXT4:
                fail("extension-registry opcodes are not supported");
            case NEXT_BUFFER:
            case READONLY_BUFFER:
                fail("out-of-band buffers are not supported");
            default:
                fail("unknown opcode 0x" + [&] {
                    const char* hex = "0123456789abcdef";
                    return std::string{hex[op >> 4], hex[op & 15]};
                }());
        }
    }
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
    PickleValue* size = args->items[2];
    PickleValue* stride = args->items[3];
    if (offset->kind != Kind::Int || offset->integer < 0) fail("malformed tensor offset");
    if (size->kind != Kind::Tuple || stride->kind != Kind::Tuple ||
        size->items.size() != stride->items.size() || size->items.size() > 16)
        fail("malformed tensor size/stride");
    PickleValue* t = make(Kind::Tensor);
    t->storage = storage;
    t->dtype = storage->dtype;
    t->storageOffset = offset->integer;
    for (std::size_t i = 0; i < size->items.size(); ++i) {
        const PickleValue* s = size->items[i];
        const PickleValue* st = stride->items[i];
        if (s->kind != Kind::Int || st->kind != Kind::Int || s->integer < 0 || st->integer < 0)
            fail("malformed tensor size/stride");
        t->sizes.push_back(s->integer);
        t->strides.push_back(st->integer);
    }
    return t;
}

PickleValue* RestrictedUnpickler::call(PickleValue* callable, PickleValue* args) {
    if (args->kind != Kind::Tuple) {
        PickleValue* obj = make(Kind::Object);
        obj->text = callable->kind == Kind::Global ? callable->text : "an unknown callable";
        obj->args = args;
        return obj;
    }
    if (callable->kind == Kind::Global) {
        const std::string& name = callable->text;
        if (name == "collections.OrderedDict") {
            PickleValue* d = make(Kind::Dict);
            // OrderedDict(iterable_of_pairs) also occurs; accept it when the pairs are plain.
            if (!args->items.empty() && args->items[0]->kind == Kind::List) {
                copied_ += 2 * args->items[0]->items.size();
                if (copied_ > limits_.maxValues)
                    fail("too many values (limit " + std::to_string(limits_.maxValues) + ")");
                for (PickleValue* pair : args->items[0]->items) {
                    if ((pair->kind != Kind::Tuple && pair->kind != Kind::List) ||
                        pair->items.size() != 2)
                        fail("malformed OrderedDict items");
                    d->items.push_back(pair->items[0]);
                    d->items.push_back(pair->items[1]);
                }
            }
            return d;
        }
        if (name == "torch._utils._rebuild_tensor_v2") return rebuildTensor(args, true);
        if (name == "torch._utils._rebuild_tensor") return rebuildTensor(args, false);
        if (name == "torch._utils._rebuild_parameter" ||
            name == "torch._utils._rebuild_parameter_with_state") {
            // (data, requires_grad, backward_hooks[, state]): a Parameter is its data here.
            if (args->items.empty() || args->items[0]->kind != Kind::Tensor)
                fail("malformed parameter record");
            return args->items[0];
        }
        if (name == "torch._tensor._rebuild_from_type_v2") {
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
    }
    // Anything else is kept as an opaque value and never run.
    PickleValue* obj = make(Kind::Object);
    obj->text = callable->kind == Kind::Global ? callable->text : "an unknown callable";
    obj->args = args;
    return obj;
}

}  // namespace medvae
