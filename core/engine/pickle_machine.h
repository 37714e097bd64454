#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "byte_reader.h"
#include "pickle_value.h"

namespace medvae {

class RestrictedUnpickler;

// The pickle virtual machine of RestrictedUnpickler: reads one pickle's opcodes and keeps its
// stack, marks and memo. Opcodes are handled in groups (stack and memo operations, numbers,
// strings, containers, globals and calls); everything that creates values or decides what a
// global may do is asked of the unpickler, which owns the values. One machine runs one pickle.
class PickleMachine {
  public:
    PickleMachine(RestrictedUnpickler& unpickler, const std::uint8_t* data, std::size_t size);
    PickleMachine(const PickleMachine&) = delete;  // its reader reports through `this`
    PickleMachine& operator=(const PickleMachine&) = delete;

    // Runs to STOP and returns the root value; throws medvae::Error on anything else.
    const PickleValue* run();

  private:
    using Kind = PickleValue::Kind;

    bool stackOp(std::uint32_t op);
    bool memoOp(std::uint32_t op);
    bool scalarOp(std::uint32_t op);
    bool textOp(std::uint32_t op);
    bool countedTextOp(std::uint32_t op);
    bool sequenceOp(std::uint32_t op);
    bool insertOp(std::uint32_t op);
    bool globalOp(std::uint32_t op);  // globals and persistent ids
    bool callOp(std::uint32_t op);
    [[noreturn]] void unsupported(std::uint32_t op);

    // The input, read from the current position on.
    std::uint64_t le(std::size_t bytes);
    std::string bytes(std::uint64_t count);
    std::string line();
    std::int64_t decimal(const std::string& text);
    PickleValue* binaryLong(std::uint32_t op);

    void push(PickleValue* value);
    PickleValue* pop();
    PickleValue* top();
    std::vector<PickleValue*> popMark();
    PickleValue* make(Kind kind);
    PickleValue* makeInt(std::int64_t value);
    PickleValue* make(Kind kind, std::string text);
    PickleValue* make(Kind kind, std::vector<PickleValue*> items);
    void setItems(PickleValue* target, const std::vector<PickleValue*>& keysAndValues);
    void appendItems(PickleValue* target, const std::vector<PickleValue*>& values);
    [[noreturn]] void fail(const std::string& what) const;

    RestrictedUnpickler& unpickler_;
    ByteReader in_;
    std::uint64_t pos_ = 0;
    std::vector<PickleValue*> stack_;
    std::vector<std::size_t> marks_;  // stack sizes at each MARK
    std::unordered_map<std::uint32_t, PickleValue*> memo_;
};

}  // namespace medvae
