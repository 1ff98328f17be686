//===- QuantTile.h - DSL pieces the quantization kernels share --*- C++ -*-===//
//
// Quantizing the rows of a tile and storing group scales in every layout, as
// DSL code: each kernel builds its own tile of fp32 values and calls these.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_QUANTTILE_H
#define TILE_KERNELS_QUANT_QUANTTILE_H

#include "QuantCommon.h"

#include "tile/dsl/DSL.h"

namespace tile::kernels {

/// A quantized tile and its per-row scales.
struct QuantizedRows {
  dsl::Value q;        ///< [R, C] fp8 or int8
  dsl::Value scale;    ///< [R] f32 (a power of two with UE8M0)
  dsl::Value exponent; ///< [R] i32, the UE8M0 byte (null without UE8M0)
};

/// Quantizes each row of `xs` ([R, C] f32) on its own: absmax = max(max |x|,
/// eps), scale = absmax / QMAX (rounded up to a power of two by its bits with
/// `ue8m0`), q = convert(x * (1 / scale)) (int8 rounded with `rounding`).
QuantizedRows quantizeRows(dsl::Value xs, OutType out, bool ue8m0, float eps,
                           Int8Rounding rounding = Int8Rounding::NearestEven);

/// The scales of rows whose absolute maxima are `absmax` ([R] f32): the steps
/// of quantizeRows before the codes (`q` left null).
QuantizedRows rowScales(dsl::Value absmax, OutType out, bool ue8m0, float eps);

/// The codes of `xs` ([R, C] f32) with the rows' scales of `rows`.
dsl::Value quantizeWith(dsl::Value xs, const QuantizedRows &rows, OutType out,
                        Int8Rounding rounding = Int8Rounding::NearestEven);

/// Stores the scales of groups `g` ([R] i32) of one row: f32 at
/// `rowBase + g * strideG` where `g < groups`, or, packed, the UE8M0 byte at
/// `rowBase + (g / 4) * strideG + g % 4` where `g < align(groups, 4)`, zeros
/// past `groups` (the partial last word). Offsets are 64-bit. Where the
/// scalar i1 `live` is false (a padding or masked-off row), the slots get the
/// padding scale instead (1.0, byte 127: KERNELS.md, "Every scale slot the
/// layout allocates is written").
void storeScales(dsl::Value rowBase, dsl::Value g, dsl::Value groups,
                 dsl::Value strideG, const QuantizedRows &rows, bool packed,
                 dsl::Value live = dsl::Value());

/// Stores only the padding scale (1.0, or byte 127 and 0 in the partial
/// last word) in the slots storeScales would write: for a row that has no
/// data (masked off).
void storePaddingScales(dsl::Value rowBase, dsl::Value g, dsl::Value groups,
                        dsl::Value strideG, bool packed);

/// row * stride in 64 bits (i64): row bases of tensors that may hold more
/// than 2^31 elements (KERNELS.md, "Sizes and addresses"); offsets inside a
/// row may stay i32.
dsl::Value rowOffset(dsl::Value row, dsl::Value stride);

/// What one program of a row-of-groups kernel covers: programs walk the rows,
/// each taking `perProgram` consecutive groups of one row (grid: rows times
/// ceil(groups / perProgram), the groups padded to a multiple of 4 with
/// `padToWords`).
struct GroupBlock {
  dsl::Value row;    ///< the row (i32)
  dsl::Value g;      ///< [perProgram] the group indices (some past the row)
  dsl::Value padded; ///< the row's group count, padded when asked
};
GroupBlock groupBlock(dsl::Value groups, int perProgram, bool padToWords);

/// The DSL type of an input type.
dsl::DType dtypeOf(InType t);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_QUANTTILE_H
