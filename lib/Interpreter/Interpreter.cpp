//===- Interpreter.cpp - Running kernels on the CPU -----------------------===//
//
// The driver: checks the arguments against the kernel's signature, compiles
// the kernel once per run, and runs one program per grid point, x fastest.
//
//===----------------------------------------------------------------------===//

#include "tile/Interpreter/Interpreter.h"

#include "Machine.h"
#include "Memory.h"
#include "Program.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"

#include <cinttypes>
#include <cstdio>

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

Interpreter::Interpreter(ModuleOp module) : module(module) {}

void Interpreter::addBuffer(const void *data, size_t bytes, std::string name) {
  buffers.push_back(
      {uint64_t(reinterpret_cast<uintptr_t>(data)), bytes, std::move(name)});
}

static const char *kindName(Arg::Kind kind) {
  switch (kind) {
  case Arg::Kind::Pointer:
    return "a pointer";
  case Arg::Kind::I32:
    return "an i32";
  case Arg::Kind::I64:
    return "an i64";
  case Arg::Kind::F32:
    return "an f32";
  }
  return "?";
}

/// The kind of argument a parameter of `type` takes, as the GPU launcher
/// passes them (index is 64 bits there).
static std::optional<Arg::Kind> kindOf(Type type) {
  if (isa<mlir::tile::PtrType>(type))
    return Arg::Kind::Pointer;
  if (type.isInteger(32))
    return Arg::Kind::I32;
  if (type.isInteger(64) || type.isIndex())
    return Arg::Kind::I64;
  if (type.isF32())
    return Arg::Kind::F32;
  return std::nullopt;
}

/// "argument #2 ('n')" where the kernel names its arguments (the DSL gives
/// them NameLocs), "argument #2" otherwise.
static std::string describeArgument(BlockArgument param) {
  std::string text = "argument #" + std::to_string(param.getArgNumber());
  if (auto name = dyn_cast<NameLoc>(param.getLoc()))
    text += " ('" + name.getName().str() + "')";
  return text;
}

/// Checks `args` against `kernel`'s parameters: their count, kinds, the range
/// of an i32, and the `tile.divisibility` the compiler assumes of them (what
/// tile::rt::checkArguments checks before a launch).
static LogicalResult checkArguments(func::FuncOp kernel, ArrayRef<Arg> args) {
  StringRef name = kernel.getSymName();
  unsigned count = kernel.getNumArguments();
  if (args.size() != count)
    return kernel.emitError() << "kernel '" << name << "' takes " << count
                              << " argument(s), got " << args.size();
  for (unsigned i = 0; i < count; ++i) {
    BlockArgument param = kernel.getArgument(i);
    Type type = param.getType();
    std::optional<Arg::Kind> expected = kindOf(type);
    if (!expected)
      return emitError(param.getLoc())
             << "argument #" << i << " of kernel '" << name << "' has type "
             << type
             << ", which the interpreter cannot pass (it takes pointers, i32, "
                "i64, index and f32)";
    if (args[i].kind != *expected)
      return emitError(param.getLoc())
             << "argument #" << i << " of kernel '" << name << "', of type "
             << type << ", is " << kindName(args[i].kind) << "; expected "
             << kindName(*expected);
    // Arg::i32 keeps the caller's whole value: one the kernel's i32 cannot
    // hold is refused, not truncated.
    if (*expected == Arg::Kind::I32 && (int64_t(args[i].bits) < INT32_MIN ||
                                        int64_t(args[i].bits) > INT32_MAX))
      return emitError(param.getLoc())
             << describeArgument(param) << " of kernel '" << name << "' is "
             << int64_t(args[i].bits)
             << ", which does not fit the kernel's i32 (-2147483648 to "
                "2147483647)";
    auto divisibility = kernel.getArgAttrOfType<IntegerAttr>(
        i, mlir::tile::TileDialect::kDivisibilityAttrName);
    if (!divisibility)
      continue;
    int64_t divisor = divisibility.getInt();
    // The compiled kernel relies on the divisibility (vector accesses, masks
    // constant over runs): a value that breaks it would be a wrong launch.
    if (*expected == Arg::Kind::Pointer) {
      if (args[i].bits % uint64_t(divisor) != 0) {
        char address[32];
        std::snprintf(address, sizeof(address), "0x%" PRIx64, args[i].bits);
        return emitError(param.getLoc())
               << describeArgument(param) << " of kernel '" << name << "' is "
               << address << ", which is not aligned to " << divisor
               << " bytes as its tile.divisibility says";
      }
    } else {
      int64_t value = int64_t(args[i].bits);
      if (value % divisor != 0)
        return emitError(param.getLoc())
               << describeArgument(param) << " of kernel '" << name << "' is "
               << value << ", which is not a multiple of " << divisor
               << " as its tile.divisibility says";
    }
  }
  return success();
}

/// The slot holding argument `arg`.
static Slot argumentSlot(const Arg &arg) {
  if (arg.kind == Arg::Kind::F32) {
    float f;
    uint32_t bits = uint32_t(arg.bits);
    std::memcpy(&f, &bits, sizeof(f));
    return floatSlot(f);
  }
  if (arg.kind == Arg::Kind::I32)
    return intSlot(int32_t(arg.bits));
  return intSlot(int64_t(arg.bits));
}

LogicalResult Interpreter::run(StringRef kernelName, Grid grid,
                               ArrayRef<Arg> args) {
  return run(kernelName, grid, args, ProgramRange::all(grid));
}

LogicalResult Interpreter::run(StringRef kernelName, Grid grid,
                               ArrayRef<Arg> args, ProgramRange programs) {
  auto kernel = module.lookupSymbol<func::FuncOp>(kernelName);
  if (!kernel)
    return module.emitError()
           << "no kernel named '" << kernelName << "' in the module";
  if (kernel.getNumResults() != 0)
    return kernel.emitError() << "kernel '" << kernelName
                              << "' returns values; kernels store their "
                                 "results";
  // IR built in C++ may not have been verified yet; the executors rely on
  // what the verifiers check (operand counts, shapes, region signatures).
  if (failed(mlir::verify(kernel)))
    return failure();
  if (failed(checkArguments(kernel, args)))
    return failure();
  uint64_t total = ProgramRange::all(grid).count;
  if (programs.first > total || programs.count > total - programs.first)
    return kernel.emitError()
           << "the " << programs.count << " program(s) from linear id "
           << programs.first << " of kernel '" << kernelName
           << "' are not all in its grid ("
           << grid.x << ", " << grid.y << ", " << grid.z << ") of " << total
           << " programs";
  FailureOr<Program> program = compileKernel(kernel);
  if (failed(program))
    return failure();

  std::vector<Memory::Region> regions;
  regions.reserve(buffers.size());
  for (const Buffer &buffer : buffers)
    regions.push_back(
        {buffer.address, buffer.address + buffer.bytes, buffer.name});
  Memory memory(std::move(regions));

  Machine machine(*program, memory, grid);
  const CompiledBlock &entry = program->blocks[program->entry];
  for (size_t i = 0; i < args.size(); ++i)
    machine.regs[entry.args[i]].assign(1, argumentSlot(args[i]));
  // Linear ids, x fastest: the order of a whole run.
  uint64_t plane = uint64_t(grid.x) * grid.y;
  for (uint64_t id = programs.first, end = programs.first + programs.count;
       id != end; ++id) {
    machine.programId[0] = uint32_t(id % grid.x);
    machine.programId[1] = uint32_t(id / grid.x % grid.y);
    machine.programId[2] = uint32_t(id / plane);
    if (failed(machine.runBlock(program->entry)))
      return failure();
  }
  return success();
}
