#include "pickle_machine.h"

#include <cerrno>
#include <cstdlib>

#include "restricted_unpickler.h"

namespace medvae {
namespace {

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

PickleMachine::PickleMachine(RestrictedUnpickler& unpickler, const std::uint8_t* data,
                             std::size_t size)
    : unpickler_(unpickler), in_(data, size, [this](std::uint64_t at, std::uint64_t) {
          unpickler_.offset_ = std::size_t(at);
          fail("unexpected end of data (the file is truncated)");
      }) {}

const PickleValue* PickleMachine::run() {
    for (;;) {
        unpickler_.offset_ = std::size_t(pos_);
        const auto op = std::uint32_t(le(1));
        if (op == STOP) {
            if (stack_.size() != 1 || !marks_.empty()) fail("STOP with a malformed stack");
            return stack_.back();
        }
        if (!stackOp(op) && !memoOp(op) && !scalarOp(op) && !textOp(op) && !sequenceOp(op) &&
            !insertOp(op) && !globalOp(op) && !callOp(op))
            unsupported(op);
    }
}

bool PickleMachine::stackOp(std::uint32_t op) {
    switch (op) {
        case PROTO:
            if (le(1) > 5) fail("pickle protocol newer than 5");
            return true;
        case FRAME:
            le(8);
            return true;
        case MARK:
            if (marks_.size() >= unpickler_.limits_.maxStack) fail("too many MARKs");
            marks_.push_back(stack_.size());
            return true;
        case POP:
            if (!marks_.empty() && stack_.size() == marks_.back()) {
                marks_.pop_back();  // POP of a MARK, as Python allows
            } else {
                pop();
            }
            return true;
        case POP_MARK:
            popMark();
            return true;
        case DUP:
            push(top());
            return true;
        default:
            return false;
    }
}

bool PickleMachine::memoOp(std::uint32_t op) {
    switch (op) {
        case GET:
        case BINGET:
        case LONG_BINGET: {
            const std::uint32_t index = op == GET ? std::uint32_t(decimal(line()))
                                                  : std::uint32_t(le(op == BINGET ? 1 : 4));
            auto it = memo_.find(index);
            if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " is not defined");
            push(it->second);
            return true;
        }
        case PUT:
        case BINPUT:
        case LONG_BINPUT: {
            const std::uint32_t index = op == PUT ? std::uint32_t(decimal(line()))
                                                  : std::uint32_t(le(op == BINPUT ? 1 : 4));
            if (memo_.size() >= unpickler_.limits_.maxValues) fail("memo too large");
            memo_[index] = top();
            return true;
        }
        case MEMOIZE:
            if (memo_.size() >= unpickler_.limits_.maxValues) fail("memo too large");
            memo_[std::uint32_t(memo_.size())] = top();
            return true;
        default:
            return false;
    }
}

bool PickleMachine::scalarOp(std::uint32_t op) {
    switch (op) {
        case NONE:
            push(make(Kind::None));
            return true;
        case NEWTRUE:
        case NEWFALSE: {
            PickleValue* p = make(Kind::Bool);
            p->boolean = op == NEWTRUE;
            push(p);
            return true;
        }
        case INT: {
            const std::string s = line();
            if (s == "00" || s == "01") {  // protocol 0's booleans
                PickleValue* p = make(Kind::Bool);
                p->boolean = s == "01";
                push(p);
            } else {
                push(makeInt(decimal(s)));
            }
            return true;
        }
        case BININT:
            push(makeInt(std::int32_t(std::uint32_t(le(4)))));
            return true;
        case BININT1:
            push(makeInt(std::int64_t(le(1))));
            return true;
        case BININT2:
            push(makeInt(std::int64_t(le(2))));
            return true;
        case LONG:
            push(makeInt(decimal(line())));
            return true;
        case LONG1:
        case LONG4:
            push(binaryLong(op));
            return true;
        case BINFLOAT: {
            const double value = in_.f64(pos_, ByteOrder::Big);
            pos_ += 8;
            PickleValue* p = make(Kind::Float);
            p->real = value;
            push(p);
            return true;
        }
        case FLOAT: {
            const std::string s = line();
            PickleValue* p = make(Kind::Float);
            p->real = std::strtod(s.c_str(), nullptr);
            push(p);
            return true;
        }
        default:
            return false;
    }
}

bool PickleMachine::textOp(std::uint32_t op) {
    if (op == STRING) {
        std::string s = line();
        if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
            s = s.substr(1, s.size() - 2);
        push(make(Kind::String, std::move(s)));
        return true;
    }
    if (op == UNICODE) {
        push(make(Kind::String, line()));
        return true;
    }
    return countedTextOp(op);
}

bool PickleMachine::countedTextOp(std::uint32_t op) {
    // Strings and bytes after a little-endian length of 1, 4 or 8 bytes.
    struct Counted {
        Op op;
        Kind kind;
        std::size_t lengthBytes;
    };
    static const Counted kCounted[] = {
        {BINSTRING, Kind::String, 4},        {SHORT_BINSTRING, Kind::String, 1},
        {SHORT_BINUNICODE, Kind::String, 1}, {BINUNICODE, Kind::String, 4},
        {BINUNICODE8, Kind::String, 8},      {BINBYTES, Kind::Bytes, 4},
        {SHORT_BINBYTES, Kind::Bytes, 1},    {BINBYTES8, Kind::Bytes, 8},
        {BYTEARRAY8, Kind::Bytes, 8}};
    for (const Counted& c : kCounted) {
        if (c.op != op) continue;
        push(make(c.kind, bytes(le(c.lengthBytes))));
        return true;
    }
    return false;
}

bool PickleMachine::sequenceOp(std::uint32_t op) {
    switch (op) {
        case EMPTY_TUPLE:
            push(make(Kind::Tuple));
            return true;
        case TUPLE1:
        case TUPLE2:
        case TUPLE3: {
            std::vector<PickleValue*> items(op - TUPLE1 + 1);
            for (std::size_t i = items.size(); i-- > 0;)
                items[i] = pop();
            push(make(Kind::Tuple, std::move(items)));
            return true;
        }
        case TUPLE:
            push(make(Kind::Tuple, popMark()));
            return true;
        case EMPTY_LIST:
            push(make(Kind::List));
            return true;
        case LIST:
            push(make(Kind::List, popMark()));
            return true;
        case EMPTY_DICT:
            push(make(Kind::Dict));
            return true;
        case DICT: {
            auto keysAndValues = popMark();
            if (keysAndValues.size() % 2) fail("odd number of items for DICT");
            push(make(Kind::Dict, std::move(keysAndValues)));
            return true;
        }
        case EMPTY_SET:
            push(make(Kind::Set));
            return true;
        case FROZENSET:
            push(make(Kind::Set, popMark()));
            return true;
        default:
            return false;
    }
}

bool PickleMachine::insertOp(std::uint32_t op) {
    switch (op) {
        case APPEND: {
            PickleValue* value = pop();
            appendItems(top(), {value});
            return true;
        }
        case APPENDS:
        case ADDITEMS: {
            const auto values = popMark();
            appendItems(top(), values);
            return true;
        }
        case SETITEM: {
            PickleValue* value = pop();
            PickleValue* key = pop();
            setItems(top(), {key, value});
            return true;
        }
        case SETITEMS: {
            const auto keysAndValues = popMark();
            setItems(top(), keysAndValues);
            return true;
        }
        default:
            return false;
    }
}

bool PickleMachine::globalOp(std::uint32_t op) {
    switch (op) {
        case GLOBAL: {
            const std::string module = line();
            const std::string name = line();
            push(unpickler_.global(module, name));
            return true;
        }
        case STACK_GLOBAL: {
            PickleValue* name = pop();
            PickleValue* module = pop();
            if (!module->isString() || !name->isString()) fail("STACK_GLOBAL needs two strings");
            push(unpickler_.global(module->text, name->text));
            return true;
        }
        case PERSID:
            push(unpickler_.persistentLoad(make(Kind::String, line())));
            return true;
        case BINPERSID:
            push(unpickler_.persistentLoad(pop()));
            return true;
        default:
            return false;
    }
}

bool PickleMachine::callOp(std::uint32_t op) {
    switch (op) {
        case REDUCE:
        case NEWOBJ:
        case NEWOBJ_EX: {
            if (op == NEWOBJ_EX) pop();  // kwargs
            PickleValue* args = pop();
            PickleValue* callable = pop();
            push(unpickler_.call(callable, args));
            return true;
        }
        case OBJ: {
            auto items = popMark();
            if (items.empty()) fail("OBJ without a class");
            PickleValue* cls = items.front();
            items.erase(items.begin());
            push(unpickler_.call(cls, make(Kind::Tuple, std::move(items))));
            return true;
        }
        case INST: {
            const std::string module = line();
            const std::string name = line();
            PickleValue* cls = unpickler_.global(module, name);
            push(unpickler_.call(cls, make(Kind::Tuple, popMark())));
            return true;
        }
        case BUILD: {
            PickleValue* state = pop();
            PickleValue* obj = top();
            // OrderedDict's state is its `_metadata` attribute and a tensor's state holds
            // Python-side attributes: neither matters for the weights, so both are dropped.
            if (obj->kind == Kind::Object) obj->state = state;
            return true;
        }
        default:
            return false;
    }
}

void PickleMachine::unsupported(std::uint32_t op) {
    switch (op) {
        case EXT1:
        case EXT2:
        case EXT4:
            fail("extension-registry opcodes are not supported");
        case NEXT_BUFFER:
        case READONLY_BUFFER:
            fail("out-of-band buffers are not supported");
        default: {
            const char* hex = "0123456789abcdef";
            fail("unknown opcode 0x" + std::string{hex[op >> 4], hex[op & 15]});
        }
    }
}

std::uint64_t PickleMachine::le(std::size_t bytes) {
    const std::uint64_t value = in_.uint(pos_, bytes, ByteOrder::Little);
    pos_ += bytes;
    return value;
}

std::string PickleMachine::bytes(std::uint64_t count) {
    if (!in_.has(pos_, count)) {
        unpickler_.offset_ = std::size_t(pos_);
        fail("a string or bytes length (" + std::to_string(count) +
             ") runs past the end of the data");
    }
    std::string s = in_.text(pos_, count);
    pos_ += count;
    return s;
}

std::string PickleMachine::line() {
    std::uint64_t end = 0;
    if (!in_.find(pos_, '\n', end)) {
        unpickler_.offset_ = std::size_t(pos_);
        fail("unterminated text argument");
    }
    std::string s = in_.text(pos_, end - pos_);
    pos_ = end + 1;
    return s;
}

std::int64_t PickleMachine::decimal(const std::string& text) {
    std::string digits = text;
    if (!digits.empty() && digits.back() == 'L') digits.pop_back();
    if (digits.empty()) fail("empty integer");
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(digits.c_str(), &end, 10);
    if (errno != 0 || *end != '\0') fail("integer '" + text.substr(0, 32) + "' not understood");
    return value;
}

// LONG1 / LONG4: a little-endian two's complement integer of the given length. Those that do
// not fit 64 bits are only marked: checkpoints use them for nothing the weights need.
PickleValue* PickleMachine::binaryLong(std::uint32_t op) {
    const std::uint64_t n = op == LONG1 ? le(1) : le(4);
    if (!in_.has(pos_, n)) fail("integer length runs past the end of the data");
    if (n > 8) {
        pos_ += n;
        return make(Kind::BigInt);
    }
    std::uint64_t v = le(std::size_t(n));
    if (n && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~std::uint64_t(0) << (8 * n);
    return makeInt(std::int64_t(v));
}

void PickleMachine::push(PickleValue* value) {
    if (stack_.size() >= unpickler_.limits_.maxStack) fail("stack too deep");
    stack_.push_back(value);
}

PickleValue* PickleMachine::pop() {
    PickleValue* value = top();
    stack_.pop_back();
    return value;
}

PickleValue* PickleMachine::top() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
        fail("stack underflow");
    return stack_.back();
}

std::vector<PickleValue*> PickleMachine::popMark() {
    if (marks_.empty()) fail("no MARK on the stack");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<PickleValue*> items(stack_.begin() + std::ptrdiff_t(mark), stack_.end());
    stack_.resize(mark);
    return items;
}

PickleValue* PickleMachine::make(Kind kind) {
    return unpickler_.make(kind);
}

PickleValue* PickleMachine::makeInt(std::int64_t value) {
    PickleValue* p = make(Kind::Int);
    p->integer = value;
    return p;
}

PickleValue* PickleMachine::make(Kind kind, std::string text) {
    PickleValue* p = make(kind);
    p->text = std::move(text);
    return p;
}

PickleValue* PickleMachine::make(Kind kind, std::vector<PickleValue*> items) {
    PickleValue* p = make(kind);
    p->items = std::move(items);
    return p;
}

void PickleMachine::setItems(PickleValue* target, const std::vector<PickleValue*>& keysAndValues) {
    if (keysAndValues.size() % 2) fail("odd number of items for SETITEMS");
    if (target->kind != Kind::Dict && target->kind != Kind::Object)
        fail("SETITEM on " + target->describe());
    target->items.insert(target->items.end(), keysAndValues.begin(), keysAndValues.end());
}

void PickleMachine::appendItems(PickleValue* target, const std::vector<PickleValue*>& values) {
    if (target->kind == Kind::List || target->kind == Kind::Set) {
        target->items.insert(target->items.end(), values.begin(), values.end());
    } else if (target->kind != Kind::Object) {  // opaque objects swallow their appends
        fail("APPEND on " + target->describe());
    }
}

void PickleMachine::fail(const std::string& what) const {
    unpickler_.fail(what);
}

}  // namespace medvae
