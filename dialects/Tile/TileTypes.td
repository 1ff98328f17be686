//===- TileTypes.td - Types of the tile dialect ----------------*- tablegen -*-===//

#ifndef TILE_TYPES_TD
#define TILE_TYPES_TD

include "TileDialect.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/CommonTypeConstraints.td"

class Tile_TypeDef<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Tile_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Tile_PtrType : Tile_TypeDef<"Ptr", "ptr"> {
  let summary = "a pointer to global memory";
  let description = [{
    `!tile.ptr<T>` addresses elements of type `T` (an integer or float type) in
    global memory. `tile.addptr` offsets it by a number of elements, and a tensor
    of pointers addresses a tile of elements (a gather or scatter).

    ```mlir
    %p = tile.addptr %base, %offsets : tensor<128x!tile.ptr<bf16>>, tensor<128xi32>
    ```
  }];
  let parameters = (ins "::mlir::Type":$pointeeType);
  let assemblyFormat = "`<` $pointeeType `>`";
  let genVerifyDecl = 1;
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::Type":$pointeeType), [{
      return $_get(pointeeType.getContext(), pointeeType);
    }]>
  ];
}

// Type constraints used by the ops.
def Tile_PtrTensor : RankedTensorOf<[Tile_PtrType]>;
def Tile_PtrLike : AnyTypeOf<[Tile_PtrType, Tile_PtrTensor], "tile pointer or tensor of them">;
def Tile_IntLike : AnyTypeOf<[AnySignlessInteger, RankedTensorOf<[AnySignlessInteger]>],
                             "signless integer or tensor of them">;
def Tile_FloatLike : AnyTypeOf<[AnyFloat, RankedTensorOf<[AnyFloat]>],
                               "float or tensor of floats">;
def Tile_BoolLike : AnyTypeOf<[I1, RankedTensorOf<[I1]>], "i1 or tensor of i1">;
def Tile_Scalar : AnyTypeOf<[AnySignlessInteger, AnyFloat, Tile_PtrType],
                            "integer, float or tile pointer">;
def Tile_Tensor : RankedTensorOf<[AnySignlessInteger, AnyFloat, Tile_PtrType]>;
def Tile_Value : AnyTypeOf<[Tile_Scalar, Tile_Tensor], "scalar or tile">;

#endif // TILE_TYPES_TD
