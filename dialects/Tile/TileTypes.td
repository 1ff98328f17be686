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

def Tile_MemDescType : Tile_TypeDef<"MemDesc", "memdesc"> {
  let summary = "a multi-buffered tile in shared memory";
  let description = [{
    `!tile.memdesc<S x R x C x T, #layout>` is a ring of S buffers (stages),
    each holding an R x C tile (or, `S x R x T`, a 1-D tile of R: a GEMM's
    per-group scales) of T laid out by the shared encoding `#layout`
    (`#tile.shared`: which offset holds which element, XOR-swizzled). It is
    what `tile.local_alloc` allocates in the kernel's shared memory,
    `tile.async_copy` fills from global memory and `tile.local_load` reads
    into registers; the software pipeliner (tile-pipeline) makes them from a
    K loop's loads. R and C are powers of two; S is at least 1.

    ```mlir
    %buf = tile.local_alloc : !tile.memdesc<3x64x32xf16, #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType,
                        "::mlir::Attribute":$encoding);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The number of buffers (the leading extent).
    int64_t getNumStages() const { return getShape().front(); }
    /// The shape of one buffer (the trailing one or two extents).
    ::llvm::ArrayRef<int64_t> getTileShape() const {
      return getShape().drop_front();
    }
    /// Bytes of one buffer.
    int64_t getStageBytes() const;
  }];
}

// Type constraints used by the ops.
def Tile_AsyncTokenType : Tile_TypeDef<"AsyncToken", "async_token"> {
  let summary = "the completion of asynchronous copies";
  let description = [{
    `!tile.async_token` stands for asynchronous copies into shared memory
    having landed: `tile.async_copy` gives one per copy, `tile.async_commit`
    one for the group it closes, `tile.async_wait` one for what it waited
    for, and `tile.local_load` may name the wait it reads after. Tokens
    carry no data (the lowering drops them); they make the order of copies,
    waits and reads a dependence in the IR, for passes and readers (Triton's
    !ttg.async.token).
  }];
}

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
