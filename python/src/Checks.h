//===- Checks.h - Argument checks on DLPack tensors -------------*- C++ -*-===//
//
// What every Python entry point checks before a kernel runs, on the DLTensor
// a tensor of any library (torch, numpy, CuPy) arrives as: its element type,
// shape, strides (in elements), the alignment of its first element, and the
// device. A failed check throws a Python ValueError (TypeError for a wrong
// element type) whose message names the function and the argument:
//
//   tile.group_quant: argument 'x': expected 2 dimensions [M, K], got shape (3,)
//
// Dimensions of extent 0 or 1 have no meaningful stride (DLPack producers
// write anything there), so strides are compared only where the extent is
// above 1.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_CHECKS_H
#define TILE_PYTHON_CHECKS_H

#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/error.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace tile::python {

using tvm::ffi::TensorView;

/// The element types the kernels read and write.
enum class Dtype { BF16, F16, F32, I8, U8, I32, FP8 };

/// "bfloat16", "float16", "float32", "int8", "uint8", "int32",
/// "float8_e4m3fn" (the names torch, numpy/ml_dtypes and DLPack share).
const char *dtypeName(Dtype dtype);

/// The DLPack description of `dtype`.
DLDataType dlDtype(Dtype dtype);

/// Bytes per element.
int dtypeBytes(Dtype dtype);

/// `t`'s element type among the kernels' types, or false.
bool dtypeOf(const TensorView &t, Dtype &dtype);

/// Throws a ValueError "tile.<fn>: argument '<arg>': <message>".
[[noreturn]] void fail(const char *fn, const char *arg, const std::string &message);

/// The shape as "(3, 4)".
std::string shapeText(const TensorView &t);
/// The strides (elements) as "(4, 1)".
std::string strideText(const TensorView &t);

/// Where the kernels run: the device every tensor of a call must be on.
enum class Place { Host, Cuda };

/// The checks of one call of `fn`; `place` is where its tensors must live
/// (the interpreter reads host memory, the GPU kernels device memory).
struct Checker {
  const char *fn;
  Place place;
  /// The CUDA device of the first tensor checked (-1 before it).
  int deviceId = -1;

  [[noreturn]] void fail(const char *arg, const std::string &message) const {
    python::fail(fn, arg, message);
  }

  /// Checks the device and the element type (one of `allowed`); returns it.
  Dtype tensor(const char *arg, const TensorView &t,
               std::initializer_list<Dtype> allowed);
  /// Checks the number of dimensions, `what` naming them ("[M, K]").
  void ndim(const char *arg, const TensorView &t, int n, const char *what);
  /// Checks one extent.
  void extent(const char *arg, const TensorView &t, int dim, int64_t want,
              const char *what);
  /// Checks that the last dimension is contiguous (stride 1 where it has
  /// more than one element).
  void rowMajorRows(const char *arg, const TensorView &t);
  /// Checks every stride where the extent is above 1.
  void strides(const char *arg, const TensorView &t,
               std::initializer_list<int64_t> want, const char *layout);
  /// The stride of `dim` (elements), or `fallback` where the extent is at
  /// most 1 (its stride is not meaningful there).
  static int64_t stride(const TensorView &t, int dim, int64_t fallback);
  /// The address of the first element.
  static uint64_t address(const TensorView &t) {
    return uint64_t(reinterpret_cast<uintptr_t>(t.data_ptr())) + t.byte_offset();
  }
  /// Checks that the first element is aligned to `bytes` (what the kernel
  /// assumes of the pointer; a misaligned view must be copied first).
  void aligned(const char *arg, const TensorView &t, int bytes);
  /// Checks that an integer the kernel takes as i32 fits.
  void fitsI32(const char *arg, const char *what, int64_t value);
};

/// The largest power of two from 1 to `cap` dividing every value.
int divisibilityOf(std::initializer_list<int64_t> values, int cap = 16);

} // namespace tile::python

#endif // TILE_PYTHON_CHECKS_H
