//===- TileEnums.td - Enumerations of the tile dialect ---------*- tablegen -*-===//
//
// Printed as words in the ops' custom syntax (`cache = cg`, `rounding = rtne`).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_ENUMS_TD
#define TILE_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def Tile_ProgramAxisAttr : I32EnumAttr<"ProgramAxis", "an axis of the launch grid", [
    I32EnumAttrCase<"X", 0, "x">,
    I32EnumAttrCase<"Y", 1, "y">,
    I32EnumAttrCase<"Z", 2, "z">]> {
  let cppNamespace = "::mlir::tile";
}

// PTX cache operators. Loads take none/ca/cg/cs/cv, stores none/wb/cg/cs/wt.
def Tile_CacheModifierAttr : I32EnumAttr<"CacheModifier", "a PTX cache operator", [
    I32EnumAttrCase<"None", 0, "none">,
    I32EnumAttrCase<"CA", 1, "ca">,
    I32EnumAttrCase<"CG", 2, "cg">,
    I32EnumAttrCase<"CS", 3, "cs">,
    I32EnumAttrCase<"CV", 4, "cv">,
    I32EnumAttrCase<"WB", 5, "wb">,
    I32EnumAttrCase<"WT", 6, "wt">]> {
  let cppNamespace = "::mlir::tile";
}

def Tile_EvictionPolicyAttr : I32EnumAttr<"EvictionPolicy", "an L2 eviction priority", [
    I32EnumAttrCase<"Normal", 0, "evict_normal">,
    I32EnumAttrCase<"First", 1, "evict_first">,
    I32EnumAttrCase<"Last", 2, "evict_last">]> {
  let cppNamespace = "::mlir::tile";
}

// How `tile.dot` computes. `ieee`: exact products, fp32 (or operand-type)
// accumulation. `tf32`: f32 operands rounded to tf32. For i8 operands:
// `native` (int8 MMA, int32 accumulation) or `f16_exact` (operands widened to
// f16, which is exact for |v| <= 128; fp16 MMA with fp32 accumulation, exact
// while K * 128 * 128 < 2^24, rounded back to int32).
def Tile_InputPrecisionAttr : I32EnumAttr<"InputPrecision", "how a dot computes", [
    I32EnumAttrCase<"IEEE", 0, "ieee">,
    I32EnumAttrCase<"TF32", 1, "tf32">,
    I32EnumAttrCase<"Native", 2, "native">,
    I32EnumAttrCase<"F16Exact", 3, "f16_exact">]> {
  let cppNamespace = "::mlir::tile";
}

// Rounding of a narrowing conversion: to nearest, ties to even; toward zero;
// to nearest, ties away from zero (float-to-int only).
def Tile_RoundingModeAttr : I32EnumAttr<"RoundingMode", "a rounding mode", [
    I32EnumAttrCase<"RTNE", 0, "rtne">,
    I32EnumAttrCase<"RTZ", 1, "rtz">,
    I32EnumAttrCase<"RNA", 2, "rna">]> {
  let cppNamespace = "::mlir::tile";
}

#endif // TILE_ENUMS_TD
