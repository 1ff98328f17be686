//===- MemoryOps.cpp - tile.load and tile.store ---------------------------===//
//
// Masked gathers and scatters on host memory. Every element a lane touches
// must lie wholly inside one registered buffer and be aligned to its size
// (the GPU faults on a misaligned access); masked-off lanes are neither
// checked nor touched. Cache operators and eviction policies do not change
// what is read or written, so they are ignored.
//
//===----------------------------------------------------------------------===//

#include "FloatFormats.h"
#include "Machine.h"

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Support/Numerics.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::tile;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

namespace {

//===----------------------------------------------------------------------===//
// Codecs: an element's bytes in memory <-> its slot
//===----------------------------------------------------------------------===//

template <typename T> T readBytes(uint64_t address) {
  T v;
  std::memcpy(&v, reinterpret_cast<const void *>(address), sizeof(T));
  return v;
}

template <typename T> void writeBytes(uint64_t address, T v) {
  std::memcpy(reinterpret_cast<void *>(address), &v, sizeof(T));
}

template <typename T> struct IntCodec {
  static constexpr unsigned bytes = sizeof(T);
  static Slot load(uint64_t a) { return intSlot(readBytes<T>(a)); }
  static void store(uint64_t a, Slot s) { writeBytes<T>(a, T(s.i)); }
};

/// i1 is a byte holding 0 or 1, as LLVM stores it.
struct I1Codec {
  static constexpr unsigned bytes = 1;
  static Slot load(uint64_t a) {
    return intSlot((readBytes<uint8_t>(a) & 1) ? -1 : 0);
  }
  static void store(uint64_t a, Slot s) {
    writeBytes<uint8_t>(a, uint8_t(s.i & 1));
  }
};

struct F32Codec {
  static constexpr unsigned bytes = 4;
  static Slot load(uint64_t a) { return floatSlot(readBytes<float>(a)); }
  static void store(uint64_t a, Slot s) { writeBytes<float>(a, s.f); }
};

struct F64Codec {
  static constexpr unsigned bytes = 8;
  static Slot load(uint64_t a) { return doubleSlot(readBytes<double>(a)); }
  static void store(uint64_t a, Slot s) { writeBytes<double>(a, s.d); }
};

struct F16Codec {
  static constexpr unsigned bytes = 2;
  static Slot load(uint64_t a) {
    return floatSlot(f16Value(readBytes<uint16_t>(a)));
  }
  static void store(uint64_t a, Slot s) {
    writeBytes<uint16_t>(a, f16Bits(s.f));
  }
};

struct BF16Codec {
  static constexpr unsigned bytes = 2;
  static Slot load(uint64_t a) {
    return floatSlot(::tile::numerics::bf16ToFloat(readBytes<uint16_t>(a)));
  }
  static void store(uint64_t a, Slot s) {
    // Exact: a bf16 value is a float whose low 16 bits are zero.
    writeBytes<uint16_t>(a, uint16_t(::tile::numerics::floatBits(s.f) >> 16));
  }
};

struct E4M3Codec {
  static constexpr unsigned bytes = 1;
  static Slot load(uint64_t a) {
    return floatSlot(e4m3Value(readBytes<uint8_t>(a)));
  }
  static void store(uint64_t a, Slot s) {
    writeBytes<uint8_t>(a, e4m3Bits(s.f));
  }
};

struct E5M2Codec {
  static constexpr unsigned bytes = 1;
  static Slot load(uint64_t a) {
    return floatSlot(e5m2Value(readBytes<uint8_t>(a)));
  }
  static void store(uint64_t a, Slot s) {
    writeBytes<uint8_t>(a, e5m2Bits(s.f));
  }
};

//===----------------------------------------------------------------------===//
// Access checks
//===----------------------------------------------------------------------===//

std::string hex(uint64_t v) {
  char text[32];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, v);
  return text;
}

/// Whether a lane may touch the `bytes` bytes at `address`; an error naming
/// the program, the lane's index in the tile and the address otherwise.
LogicalResult checkAccess(Machine &m, const Instr &instr, int64_t lane,
                          ArrayRef<int64_t> shape, uint64_t address,
                          unsigned bytes, const char *verb) {
  if (m.memory.contains(address, bytes) && address % bytes == 0)
    return success();
  InFlightDiagnostic diag = m.error(instr);
  diag << "element " << formatIndex(lane, shape) << " " << verb << " " << bytes
       << " byte(s) at " << hex(address);
  if (!m.memory.contains(address, bytes))
    diag << ", outside every registered buffer (" << m.memory.describe(address)
         << ")";
  else
    diag << ", which is not aligned to " << bytes
         << " bytes (the GPU faults on a misaligned access)";
  return diag;
}

//===----------------------------------------------------------------------===//
// Load and store
//===----------------------------------------------------------------------===//

/// imm[0]: has a mask (operand #1); imm[1]: has `other` (operand #2).
/// constant[0]: the value of a masked-off lane without `other` (undefinedOf).
template <class Codec> LogicalResult execLoad(Machine &m, const Instr &instr) {
  const Elements &ptrs = m.regs[instr.in[0]];
  const Elements *mask = instr.imm[0] ? &m.regs[instr.in[1]] : nullptr;
  const Elements *other = instr.imm[1] ? &m.regs[instr.in[2]] : nullptr;
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i) {
    if (mask && (*mask)[i].i == 0) {
      r[i] = other ? (*other)[i] : instr.constant[0];
      continue;
    }
    uint64_t address = uint64_t(ptrs[i].i);
    if (failed(checkAccess(m, instr, i, instr.shape, address, Codec::bytes,
                           "reads")))
      return failure();
    r[i] = Codec::load(address);
  }
  return success();
}

/// imm[0]: has a mask (operand #2).
template <class Codec> LogicalResult execStore(Machine &m, const Instr &instr) {
  const Elements &ptrs = m.regs[instr.in[0]], &values = m.regs[instr.in[1]];
  const Elements *mask = instr.imm[0] ? &m.regs[instr.in[2]] : nullptr;
  for (int64_t i = 0; i < instr.n; ++i) {
    if (mask && (*mask)[i].i == 0)
      continue;
    uint64_t address = uint64_t(ptrs[i].i);
    if (failed(checkAccess(m, instr, i, instr.srcShape, address, Codec::bytes,
                           "writes")))
      return failure();
    Codec::store(address, values[i]);
  }
  return success();
}

/// The load and store executors for elements of `type`; null when such
/// elements have no byte-addressable representation.
std::pair<ExecFn, ExecFn> accessorsFor(const ElemType &type) {
  switch (type.kind) {
  case ElemKind::Int:
    switch (type.width) {
    case 1:
      return {execLoad<I1Codec>, execStore<I1Codec>};
    case 8:
      return {execLoad<IntCodec<int8_t>>, execStore<IntCodec<int8_t>>};
    case 16:
      return {execLoad<IntCodec<int16_t>>, execStore<IntCodec<int16_t>>};
    case 32:
      return {execLoad<IntCodec<int32_t>>, execStore<IntCodec<int32_t>>};
    case 64:
      return {execLoad<IntCodec<int64_t>>, execStore<IntCodec<int64_t>>};
    default:
      return {nullptr, nullptr};
    }
  case ElemKind::F32:
    return {execLoad<F32Codec>, execStore<F32Codec>};
  case ElemKind::F64:
    return {execLoad<F64Codec>, execStore<F64Codec>};
  case ElemKind::F16:
    return {execLoad<F16Codec>, execStore<F16Codec>};
  case ElemKind::BF16:
    return {execLoad<BF16Codec>, execStore<BF16Codec>};
  case ElemKind::F8E4M3FN:
    return {execLoad<E4M3Codec>, execStore<E4M3Codec>};
  case ElemKind::F8E5M2:
    return {execLoad<E5M2Codec>, execStore<E5M2Codec>};
  default:
    return {nullptr, nullptr};
  }
}

/// What a masked-off lane without `other` reads: the dialect leaves it
/// undefined (the GPU keeps whatever its register held), so the interpreter
/// gives a value a kernel cannot mistake for data: NaN for floats, the bits
/// 0xa5a5... for integers (pointers: null, which faults when used).
Slot undefinedOf(const ElemType &type) {
  if (type.kind == ElemKind::F64)
    return doubleSlot(std::numeric_limits<double>::quiet_NaN());
  if (type.isFloat())
    return floatSlot(std::numeric_limits<float>::quiet_NaN());
  if (type.kind == ElemKind::Ptr)
    return intSlot(0);
  return intSlot(wrapInt(int64_t(0xa5a5a5a5a5a5a5a5ull), type.width));
}

InFlightDiagnostic unsupportedAccess(Operation *op, Type ptrType) {
  return op->emitError() << "'" << op->getName() << "' through " << ptrType
                         << " is not supported by the interpreter (its "
                            "elements are not whole bytes)";
}

} // namespace

LogicalResult interp::selectMemoryOp(Operation *op, Instr &instr) {
  if (auto load = dyn_cast<LoadOp>(op)) {
    ExecFn exec = accessorsFor(instr.elem).first;
    if (!exec)
      return unsupportedAccess(op, load.getPtr().getType());
    instr.imm[0] = load.getMask() != nullptr;
    instr.imm[1] = load.getOther() != nullptr;
    instr.constant.assign(1, undefinedOf(instr.elem));
    instr.exec = exec;
    return success();
  }
  if (auto store = dyn_cast<StoreOp>(op)) {
    instr.elem = classify(store.getValue().getType());
    ExecFn exec = accessorsFor(instr.elem).second;
    if (!exec)
      return unsupportedAccess(op, store.getPtr().getType());
    instr.imm[0] = store.getMask() != nullptr;
    instr.exec = exec;
    return success();
  }
  return success();
}
