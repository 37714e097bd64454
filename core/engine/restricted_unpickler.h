#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "pickle_value.h"

namespace medvae {

// A pickle reader that builds data and never executes anything.
//
// It understands the opcodes of protocols 0-5 that plain data uses: None, booleans, integers,
// floats, strings, bytes, tuples, lists, dicts, sets, the memo, and persistent ids. Calls
// (REDUCE, NEWOBJ, OBJ, INST) are evaluated only for a closed list of constructors that build
// data: collections.OrderedDict and PyTorch's tensor rebuild functions, whose storages come from
// persistent ids ('storage', <torch.*Storage>, key, location, numel). A call of any other global
// yields an opaque Object that is kept but never called; callers decide whether they can do
// without it. Globals that exist to run code (os.system, subprocess.*, builtins.eval, ...) make
// the whole pickle refused. Every read is bounded by the input; the value count and stack depth
// are capped, so hostile input ends in medvae::Error, not a crash or a hang.
class RestrictedUnpickler {
  public:
    struct Limits {
        std::size_t maxValues = 5'000'000;  // values built, and items copied between containers
        std::size_t maxStack = 10'000'000;
    };

    // `sourceName` names the input in error messages.
    explicit RestrictedUnpickler(std::string sourceName)
        : RestrictedUnpickler(std::move(sourceName), Limits{}) {}
    RestrictedUnpickler(std::string sourceName, Limits limits);

    // Parses one pickle and returns its root value, owned by this unpickler.
    const PickleValue* load(const std::uint8_t* data, std::size_t size);

    // Every global ("module.name") the pickle referenced, sorted, each once.
    const std::set<std::string>& globals() const { return globals_; }
    // Whether a global belongs in a checkpoint: the tensor and OrderedDict constructors this
    // reader evaluates, and plain data types training frameworks store beside the weights
    // (argparse.Namespace, pathlib paths, numpy scalars, ...). Any other is worth a warning: it
    // was not run here, but Python's torch.load would run it unless weights_only=True.
    static bool isExpectedGlobal(const std::string& global);

  private:
    friend class PickleMachine;  // the opcode reader; values and the rules for globals are here

    PickleValue* make(PickleValue::Kind kind);
    // A reference to module.name, refused when the global exists to run code.
    PickleValue* global(const std::string& module, const std::string& name);
    PickleValue* call(PickleValue* callable, PickleValue* args);
    PickleValue* persistentLoad(PickleValue* pid);
    PickleValue* rebuildTensor(PickleValue* args, bool v2);
    // A tensor record's size and stride tuples, checked, as element counts.
    void readShape(const PickleValue* size, const PickleValue* stride,
                   std::vector<std::int64_t>& sizes, std::vector<std::int64_t>& strides) const;
    PickleValue* orderedDict(PickleValue* args);
    // torch._tensor._rebuild_from_type_v2(func, type, func_args, state)
    PickleValue* rebuildFromType(PickleValue* args);
    [[noreturn]] void fail(const std::string& what) const;

    std::string source_;
    Limits limits_;
    std::deque<PickleValue> arena_;
    std::size_t offset_ = 0;  // position in the input of the opcode read, for error messages
    std::size_t copied_ = 0;  // container items copied by calls, charged against maxValues
    std::set<std::string> globals_;
};

}  // namespace medvae
