//===- ScaleLayouts.cpp - The quant kernels' scale tensors ----------------===//

#include "ScaleLayouts.h"

namespace tile::python {

using kernels::ScaleLayout;

ScaleLayout scaleLayoutOf(Checker &c, int64_t index) {
  if (index < 0 || index > 3)
    c.fail("scales", "the layout must be 'row', 'col', 'col_tma' or "
                     "'ue8m0_packed'");
  return ScaleLayout(index);
}

ScaleArgs checkScales(Checker &c, const char *arg, const TensorView &scales,
                      ScaleLayout layout, int64_t M, int64_t G,
                      int64_t experts) {
  const bool packed = layout == ScaleLayout::UE8M0Packed;
  c.tensor(arg, scales, {packed ? Dtype::I32 : Dtype::F32});
  const int lead = experts > 0 ? 1 : 0;
  const int64_t m4 = kernels::alignUp(M, 4);
  const int64_t cols = packed ? (G + 3) / 4 : G;
  const bool tma = layout == ScaleLayout::ColMajorTMA || packed;
  c.ndim(arg, scales, 2 + lead,
         lead ? (packed ? "[E, T, ceil(G / 4)]" : "[E, T, G]")
              : (packed ? "[M, ceil(G / 4)]" : "[M, G]"));
  if (lead)
    c.extent(arg, scales, 0, experts, "E");
  int64_t rows = scales.shape()[lead];
  if (rows != M && !(tma && rows == m4))
    c.fail(arg, "dimension " + std::to_string(lead) + " must be " +
                    (lead ? "T" : "M") + " = " + std::to_string(M) +
                    (tma ? " (or align(" + std::string(lead ? "T" : "M") +
                               ", 4) = " + std::to_string(m4) + ")"
                         : std::string()) +
                    ", got shape " + shapeText(scales));
  c.extent(arg, scales, lead + 1, cols, packed ? "ceil(G / 4)" : "G (groups)");
  ScaleArgs out;
  int64_t perExpert = 0; // elements (f32) or words (packed) of one expert
  const char *name = packed ? "ue8m0_packed" : layout == ScaleLayout::RowMajor ? "row"
                              : layout == ScaleLayout::ColMajor ? "col" : "col_tma";
  int64_t sm = Checker::stride(scales, lead, 0),
          sg = Checker::stride(scales, lead + 1, 0);
  auto badStrides = [&](const std::string &want) {
    c.fail(arg, std::string("the ") + name + " layout needs strides " + want +
                    " for shape " + shapeText(scales) + ", got " +
                    strideText(scales));
  };
  // No rows: nothing is written, and the strides of an empty tensor mean
  // nothing.
  if (M == 0)
    return out;
  switch (layout) {
  case ScaleLayout::RowMajor:
    if (scales.shape()[lead + 1] > 1 && sg != 1)
      badStrides("(s, 1) with s >= G");
    sm = scales.shape()[lead] > 1 ? sm : G;
    if (sm < G)
      badStrides("(s, 1) with s >= G");
    out.strideM = sm;
    out.strideG = 1;
    perExpert = (M - 1) * sm + G;
    break;
  case ScaleLayout::ColMajor:
    if (scales.shape()[lead] > 1 && sm != 1)
      badStrides("(1, s) with s >= M");
    sg = scales.shape()[lead + 1] > 1 ? sg : M;
    if (sg < M)
      badStrides("(1, s) with s >= M");
    out.strideM = 1;
    out.strideG = sg;
    perExpert = (G - 1) * sg + M;
    break;
  case ScaleLayout::ColMajorTMA:
  case ScaleLayout::UE8M0Packed:
    if ((scales.shape()[lead] > 1 && sm != 1) ||
        (scales.shape()[lead + 1] > 1 && sg != m4))
      badStrides("(1, " + std::to_string(m4) + ") (align(" +
                 (lead ? "T" : "M") + ", 4) = " + std::to_string(m4) + ")");
    out.strideM = packed ? 4 : 1;
    out.strideG = packed ? 4 * m4 : m4;
    perExpert = cols * m4;
    break;
  }
  const int64_t elementBytes = 4;
  if (lead) {
    int64_t se = Checker::stride(scales, 0, perExpert);
    if (se < perExpert)
      c.fail(arg, "the experts' scales overlap: dimension 0's stride " +
                      std::to_string(se) + " is below one expert's " +
                      std::to_string(perExpert) + " elements");
    out.strideE = packed ? se * 4 : se;
    out.bytes = ((experts - 1) * se + perExpert) * elementBytes;
  } else {
    out.bytes = perExpert * elementBytes;
  }
  c.aligned(arg, scales, 16);
  return out;
}

} // namespace tile::python
