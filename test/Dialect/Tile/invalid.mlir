// Every verifier message of the tile dialect, each triggered once.
// RUN: tile-opt %s -split-input-file -verify-diagnostics -allow-unregistered-dialect

//===--- Tile shapes ---===//

// A tile extent that is not a power of two.
func.func @non_power_of_two(%x: f32) {
  // expected-error @+1 {{'tile.splat' op result #0 has shape 64x96: tile extents must be static powers of two}}
  %t = tile.splat %x : f32 -> tensor<64x96xf32>
  return
}

// -----

// A dynamic extent.
func.func @dynamic_extent(%t: tensor<?xf32>) {
  // expected-error @+1 {{'tile.reshape' op operand #0 has shape ?: tile extents must be static powers of two}}
  %r = tile.reshape %t : tensor<?xf32> -> tensor<16xf32>
  return
}

// -----

// A 0-d tensor instead of a scalar.
func.func @zero_d(%x: f32) {
  // expected-error @+1 {{'tile.splat' op result #0 is a 0-d tensor: use a scalar instead}}
  %t = tile.splat %x : f32 -> tensor<f32>
  return
}

//===--- Dialect attributes ---===//

// -----

// expected-error @+1 {{'tile.num_warps' must be an integer power of two in [1, 32], got 3 : i32}}
module attributes {tile.num_warps = 3 : i32} {}

// -----

// expected-error @+1 {{'tile.num_warps' must be an integer power of two in [1, 32], got 64 : i32}}
module attributes {tile.num_warps = 64 : i32} {}

// -----

// expected-error @+1 {{'tile.target' must be one of "cuda:80", "cuda:86", "cuda:89", "cuda:90", "cuda:90a", got "sm_90a"}}
module attributes {tile.target = "sm_90a"} {}

// -----

// expected-error @+1 {{'tile.divisibility' is an attribute of kernel arguments, not of ops}}
module attributes {tile.divisibility = 16 : i32} {}

// -----

// expected-error @+1 {{unknown tile attribute 'tile.num_wraps'}}
module attributes {tile.num_wraps = 4 : i32} {}

// -----

// expected-error @+1 {{unknown tile argument attribute 'tile.aligned' on argument #0}}
func.func @unknown_arg_attr(%p: !tile.ptr<f32> {tile.aligned = 16 : i32}) {
  return
}

// -----

// expected-error @+1 {{'tile.divisibility' of argument #1 must be a positive integer power of two, got 12 : i32}}
func.func @bad_divisibility(%p: !tile.ptr<f32>, %n: i32 {tile.divisibility = 12 : i32}) {
  return
}

// -----

// expected-error @+1 {{'tile.divisibility' of argument #0 applies to pointers and integers, not 'f32'}}
func.func @divisibility_of_float(%x: f32 {tile.divisibility = 16 : i32}) {
  return
}

//===--- Types ---===//

// -----

// expected-error @+1 {{!tile.ptr points to integers or floats, not 'tensor<4xf32>'}}
func.func private @ptr_to_tensor(!tile.ptr<tensor<4xf32>>)

//===--- make_range ---===//

// -----

func.func @range_backwards() {
  // expected-error @+1 {{'tile.make_range' op end (0) must be greater than start (16)}}
  %r = tile.make_range {end = 0 : i32, start = 16 : i32} : tensor<16xi32>
  return
}

// -----

func.func @range_2d() {
  // expected-error @+1 {{'tile.make_range' op result must be a 1-D tile, got 'tensor<4x4xi32>'}}
  %r = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<4x4xi32>
  return
}

// -----

func.func @range_length() {
  // expected-error @+1 {{'tile.make_range' op result has 32 elements but the range [0, 16) has 16}}
  %r = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<32xi32>
  return
}

//===--- splat, broadcast, expand_dims, reshape ---===//

// -----

func.func @splat_type(%x: f32) {
  // expected-error @+1 {{'tile.splat' op result element type 'f16' does not match the source type 'f32'}}
  %t = tile.splat %x : f32 -> tensor<16xf16>
  return
}

// -----

func.func @broadcast_element_type(%t: tensor<1x16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op result element type 'f16' does not match the source element type 'f32'}}
  %b = tile.broadcast %t : tensor<1x16xf32> -> tensor<8x16xf16>
  return
}

// -----

func.func @broadcast_rank(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op source rank 1 differs from result rank 2 (insert dimensions with tile.expand_dims first)}}
  %b = tile.broadcast %t : tensor<16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @broadcast_extent(%t: tensor<4x16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op source extent 4 in dimension 0 is neither 1 nor the result extent 8}}
  %b = tile.broadcast %t : tensor<4x16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @expand_dims_axis(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.expand_dims' op axis 2 is out of range for a rank-1 source (expected 0..1)}}
  %e = tile.expand_dims %t {axis = 2 : i32} : tensor<16xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @expand_dims_negative_axis(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.expand_dims' op axis -1 is out of range for a rank-1 source (expected 0..1)}}
  %e = tile.expand_dims %t {axis = -1 : i32} : tensor<16xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @expand_dims_result(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.expand_dims' op result type 'tensor<16x1xf32>' is not the source with an extent-1 dimension at axis 0 (expected 'tensor<1x16xf32>')}}
  %e = tile.expand_dims %t {axis = 0 : i32} : tensor<16xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @reshape_element_type(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.reshape' op result element type 'i32' does not match the source element type 'f32'}}
  %r = tile.reshape %t : tensor<16xf32> -> tensor<4x4xi32>
  return
}

// -----

func.func @reshape_count(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.reshape' op source has 16 elements but the result has 32}}
  %r = tile.reshape %t : tensor<16xf32> -> tensor<4x8xf32>
  return
}

//===--- addptr ---===//

// -----

func.func @addptr_scalar_with_tile(%p: !tile.ptr<f32>, %o: tensor<16xi32>) {
  // expected-error @+1 {{'tile.addptr' op a scalar pointer takes a scalar offset, got 'tensor<16xi32>' (splat the pointer first)}}
  %q = tile.addptr %p, %o : !tile.ptr<f32>, tensor<16xi32>
  return
}

// -----

func.func @addptr_shape(%p: tensor<16x!tile.ptr<f32>>, %o: tensor<32xi32>) {
  // expected-error @+1 {{'tile.addptr' op pointer type 'tensor<16x!tile.ptr<f32>>' and offset type 'tensor<32xi32>' have different shapes}}
  %q = tile.addptr %p, %o : tensor<16x!tile.ptr<f32>>, tensor<32xi32>
  return
}

//===--- load ---===//

// -----

func.func @load_result_type(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{'tile.load' op result type 'tensor<16xf16>' does not match the pointee type 'tensor<16xf32>'}}
  %x = "tile.load"(%p) <{operandSegmentSizes = array<i32: 1, 0, 0>}> : (tensor<16x!tile.ptr<f32>>) -> tensor<16xf16>
  return
}

// -----

func.func @load_mask_shape(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<32xi1>) {
  // expected-error @+1 {{'tile.load' op mask type 'tensor<32xi1>' does not match the pointer shape (expected 'tensor<16xi1>')}}
  %x = "tile.load"(%p, %m) <{operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<16x!tile.ptr<f32>>, tensor<32xi1>) -> tensor<16xf32>
  return
}

// -----

func.func @load_other_without_mask(%p: tensor<16x!tile.ptr<f32>>, %o: tensor<16xf32>) {
  // expected-error @+1 {{'tile.load' op 'other' needs a mask}}
  %x = "tile.load"(%p, %o) <{operandSegmentSizes = array<i32: 1, 0, 1>}> : (tensor<16x!tile.ptr<f32>>, tensor<16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @load_other_type(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %o: tensor<16xf16>) {
  // expected-error @+1 {{'tile.load' op 'other' type 'tensor<16xf16>' does not match the result type 'tensor<16xf32>'}}
  %x = "tile.load"(%p, %m, %o) <{operandSegmentSizes = array<i32: 1, 1, 1>}> : (tensor<16x!tile.ptr<f32>>, tensor<16xi1>, tensor<16xf16>) -> tensor<16xf32>
  return
}

// -----

func.func @load_store_cache(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{'tile.load' op cache modifier 'wb' is for stores; a load takes none, ca, cg, cs or cv}}
  %x = tile.load %p cache = wb : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @load_cache_and_evict(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{'tile.load' op takes a cache modifier or an eviction policy, not both (PTX has no access with both)}}
  %x = tile.load %p cache = cg evict = evict_first : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @store_cache_and_evict(%p: tensor<16x!tile.ptr<f32>>, %v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.store' op takes a cache modifier or an eviction policy, not both (PTX has no access with both)}}
  tile.store %p, %v cache = cs evict = evict_last : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @load_unknown_cache(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{unknown cache modifier 'lu' (expected none, ca, cg, cs, cv, wb or wt)}}
  %x = tile.load %p cache = lu : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @load_unknown_evict(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{unknown eviction policy 'first' (expected evict_normal, evict_first or evict_last)}}
  %x = tile.load %p evict = first : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @load_operand_count(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %o: tensor<16xf32>) {
  // expected-error @+1 {{expected 1 to 3 operands (pointer, mask, other), got 4}}
  %x = tile.load %p, %m, %o, %o : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @load_not_a_pointer(%p: tensor<16xf32>) {
  // expected-error @+1 {{expected a !tile.ptr or a tensor of them, got 'tensor<16xf32>'}}
  %x = tile.load %p : tensor<16xf32>
  return
}

//===--- store ---===//

// -----

func.func @store_value_type(%p: tensor<16x!tile.ptr<f32>>, %v: tensor<16xf16>) {
  // expected-error @+1 {{'tile.store' op value type 'tensor<16xf16>' does not match the pointee type 'tensor<16xf32>'}}
  "tile.store"(%p, %v) : (tensor<16x!tile.ptr<f32>>, tensor<16xf16>) -> ()
  return
}

// -----

func.func @store_mask_shape(%p: !tile.ptr<f32>, %v: f32, %m: tensor<16xi1>) {
  // expected-error @+1 {{'tile.store' op mask type 'tensor<16xi1>' does not match the pointer shape (expected 'i1')}}
  "tile.store"(%p, %v, %m) : (!tile.ptr<f32>, f32, tensor<16xi1>) -> ()
  return
}

// -----

func.func @store_load_cache(%p: tensor<16x!tile.ptr<f32>>, %v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.store' op cache modifier 'ca' is for loads; a store takes none, wb, cg, cs or wt}}
  tile.store %p, %v cache = ca : tensor<16x!tile.ptr<f32>>
  return
}

// -----

func.func @store_operand_count(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{expected 2 or 3 operands (pointer, value, mask), got 1}}
  tile.store %p : tensor<16x!tile.ptr<f32>>
  return
}

//===--- reduce ---===//

// -----

func.func @reduce_nothing() {
  // expected-error @+1 {{'tile.reduce' op needs at least one tile to reduce}}
  tile.reduce axis = 0 : () -> () {
  ^bb0:
    tile.reduce.return
  }
  return
}

// -----

func.func @reduce_shapes(%a: tensor<16xf32>, %b: tensor<32xi32>) {
  // expected-error @+1 {{'tile.reduce' op operand #1 type 'tensor<32xi32>' has another shape than operand #0 type 'tensor<16xf32>'}}
  %r:2 = tile.reduce %a, %b axis = 0 : (tensor<16xf32>, tensor<32xi32>) -> (f32, i32) {
  ^bb0(%x: f32, %i: i32, %y: f32, %j: i32):
    tile.reduce.return %x, %i : f32, i32
  }
  return
}

// -----

func.func @reduce_axis(%a: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.reduce' op axis 2 is out of range for rank-2 tiles (expected 0..1)}}
  %r = tile.reduce %a axis = 2 : (tensor<16x16xf32>) -> tensor<16xf32> {
  ^bb0(%x: f32, %y: f32):
    tile.reduce.return %x : f32
  }
  return
}

// -----

func.func @reduce_result_count(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.reduce' op has 2 results for 1 operands}}
  %r:2 = tile.reduce %a axis = 0 : (tensor<16xf32>) -> (f32, f32) {
  ^bb0(%x: f32, %y: f32):
    tile.reduce.return %x : f32
  }
  return
}

// -----

func.func @reduce_result_type(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{'tile.reduce' op result #0 type 'tensor<16xf32>' is not operand #0 reduced along axis 0 (expected 'tensor<32xf32>')}}
  %r = tile.reduce %a axis = 0 : (tensor<16x32xf32>) -> tensor<16xf32> {
  ^bb0(%x: f32, %y: f32):
    tile.reduce.return %x : f32
  }
  return
}

// -----

func.func @reduce_combiner_arity(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.reduce' op combiner takes 1 arguments, expected 2 (the accumulated values, then the new ones)}}
  %r = tile.reduce %a axis = 0 : (tensor<16xf32>) -> f32 {
  ^bb0(%x: f32):
    tile.reduce.return %x : f32
  }
  return
}

// -----

func.func @reduce_combiner_type(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.reduce' op combiner argument #1 has type 'f16', expected 'f32'}}
  %r = tile.reduce %a axis = 0 : (tensor<16xf32>) -> f32 {
  ^bb0(%x: f32, %y: f16):
    tile.reduce.return %x : f32
  }
  return
}

// -----

func.func @reduce_no_return(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.reduce' op combiner must end with tile.reduce.return}}
  %r = tile.reduce %a axis = 0 : (tensor<16xf32>) -> f32 {
  ^bb0(%x: f32, %y: f32):
    "test.terminator"(%x) : (f32) -> ()
  }
  return
}

// -----

func.func @reduce_return_count(%a: tensor<16xf32>) {
  %r = tile.reduce %a axis = 0 : (tensor<16xf32>) -> f32 {
  ^bb0(%x: f32, %y: f32):
    // expected-error @+1 {{'tile.reduce.return' op yields 2 values, expected 1}}
    tile.reduce.return %x, %y : f32, f32
  }
  return
}

// -----

func.func @reduce_return_type(%a: tensor<16xf32>) {
  %r = tile.reduce %a axis = 0 : (tensor<16xf32>) -> f32 {
  ^bb0(%x: f32, %y: f32):
    %h = arith.truncf %x : f32 to f16
    // expected-error @+1 {{'tile.reduce.return' op yields 'f16' as value #0, expected 'f32'}}
    tile.reduce.return %h : f16
  }
  return
}

// -----

func.func @reduce_return_outside(%x: f32) {
  // expected-error @+1 {{'tile.reduce.return' op expects parent op 'tile.reduce'}}
  tile.reduce.return %x : f32
}

//===--- dot ---===//

// -----

func.func @dot_rank(%a: tensor<2x16x16xf16>, %b: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op operands must be 2-D tiles, got 'tensor<2x16x16xf16>' * 'tensor<16x16xf16>' -> 'tensor<16x16xf32>'}}
  %d = tile.dot %a, %b, %c : tensor<2x16x16xf16> * tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_k(%a: tensor<16x32xf16>, %b: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op a is 16x32 but b is 16x16: the K extents differ}}
  %d = tile.dot %a, %b, %c : tensor<16x32xf16> * tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_acc_shape(%a: tensor<16x16xf16>, %b: tensor<16x32xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op accumulator type 'tensor<16x16xf32>' is not 16x32 (a is 16x16, b is 16x32)}}
  %d = tile.dot %a, %b, %c : tensor<16x16xf16> * tensor<16x32xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_small(%a: tensor<8x16xf16>, %b: tensor<16x16xf16>, %c: tensor<8x16xf32>) {
  // expected-error @+1 {{'tile.dot' op every dot extent must be at least 16, got M=8 N=16 K=16}}
  %d = tile.dot %a, %b, %c : tensor<8x16xf16> * tensor<16x16xf16> -> tensor<8x16xf32>
  return
}

// -----

func.func @dot_mixed(%a: tensor<16x16xf16>, %b: tensor<16x16xbf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op operand element types differ: 'f16' and 'bf16'}}
  %d = tile.dot %a, %b, %c : tensor<16x16xf16> * tensor<16x16xbf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_i8_ieee(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{'tile.dot' op inputPrecision ieee does not go with 'i8' operands (i8 takes native or f16_exact, other types ieee, f32 also tf32)}}
  %d = tile.dot %a, %b, %c : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xi32>
  return
}

// -----

func.func @dot_native_f16(%a: tensor<16x16xf16>, %b: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op inputPrecision native does not go with 'f16' operands}}
  %d = tile.dot %a, %b, %c, inputPrecision = native : tensor<16x16xf16> * tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_tf32_f16(%a: tensor<16x16xf16>, %b: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op inputPrecision tf32 needs f32 operands, got 'f16'}}
  %d = tile.dot %a, %b, %c, inputPrecision = tf32 : tensor<16x16xf16> * tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_f64(%a: tensor<16x16xf64>, %b: tensor<16x16xf64>, %c: tensor<16x16xf64>) {
  // expected-error @+1 {{'tile.dot' op unsupported operand element type 'f64' (expected f32, f16, bf16, f8E4M3FN, f8E5M2 or i8)}}
  %d = tile.dot %a, %b, %c : tensor<16x16xf64> * tensor<16x16xf64> -> tensor<16x16xf64>
  return
}

// -----

func.func @dot_bf16_acc(%a: tensor<16x16xbf16>, %b: tensor<16x16xbf16>, %c: tensor<16x16xbf16>) {
  // expected-error @+1 {{'tile.dot' op accumulator element type 'bf16' does not go with 'bf16' operands (expected f32)}}
  %d = tile.dot %a, %b, %c : tensor<16x16xbf16> * tensor<16x16xbf16> -> tensor<16x16xbf16>
  return
}

// -----

func.func @dot_i8_acc(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op accumulator element type 'f32' does not go with 'i8' operands (expected i32)}}
  %d = tile.dot %a, %b, %c, inputPrecision = native : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_f16_exact_bound(%a: tensor<16x2048xi8>, %b: tensor<2048x16xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{'tile.dot' op inputPrecision f16_exact: this dot's fp32 chain of K = 2048 int8 products can exceed 2^24 and lose exactness (partial sums reach K * 2^14; at most 1024 products)}}
  %d = tile.dot %a, %b, %c, inputPrecision = f16_exact : tensor<16x2048xi8> * tensor<2048x16xi8> -> tensor<16x16xi32>
  return
}

//===--- fp_to_fp, fp_to_int ---===//

// -----

func.func @fp_to_fp_shape(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_fp' op source type 'tensor<16xf32>' and result type 'tensor<32xf8E4M3FN>' have different shapes}}
  %q = tile.fp_to_fp %v, rounding = rtne : tensor<16xf32> -> tensor<32xf8E4M3FN>
  return
}

// -----

func.func @fp_to_fp_f64(%v: tensor<16xf64>) {
  // expected-error @+1 {{'tile.fp_to_fp' op unsupported element type 'f64' (expected f32, f16, bf16, f8E4M3FN, f8E5M2 or f4E2M1FN)}}
  %q = tile.fp_to_fp %v, rounding = rtne : tensor<16xf64> -> tensor<16xf32>
  return
}

// -----

func.func @fp_to_fp_same(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_fp' op converts 'f32' to itself}}
  %q = tile.fp_to_fp %v : tensor<16xf32> -> tensor<16xf32>
  return
}

// -----

func.func @fp_to_fp_widening_rounding(%v: tensor<16xf8E4M3FN>) {
  // expected-error @+1 {{'tile.fp_to_fp' op widening conversion from 'f8E4M3FN' to 'f32' is exact: it takes no rounding mode or saturate}}
  %q = tile.fp_to_fp %v, rounding = rtne : tensor<16xf8E4M3FN> -> tensor<16xf32>
  return
}

// -----

func.func @fp_to_fp_no_rounding(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_fp' op narrowing conversion from 'f32' to 'f8E4M3FN' needs an explicit rounding mode (rtne or rtz)}}
  %q = tile.fp_to_fp %v : tensor<16xf32> -> tensor<16xf8E4M3FN>
  return
}

// -----

func.func @fp_to_fp_rna(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_fp' op rounding mode 'rna' is for float-to-integer conversions}}
  %q = tile.fp_to_fp %v, rounding = rna : tensor<16xf32> -> tensor<16xf8E4M3FN>
  return
}

// -----

func.func @fp_to_int_shape(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_int' op source type 'tensor<16xf32>' and result type 'i8' have different shapes}}
  %q = tile.fp_to_int %v, rounding = rtne : tensor<16xf32> -> i8
  return
}

// -----

func.func @fp_to_int_source(%v: tensor<16xf8E4M3FN>) {
  // expected-error @+1 {{'tile.fp_to_int' op source element type must be f32, f16 or bf16, got 'f8E4M3FN'}}
  %q = tile.fp_to_int %v, rounding = rtne : tensor<16xf8E4M3FN> -> tensor<16xi8>
  return
}

// -----

func.func @fp_to_int_result(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_int' op result element type must be i8, i16 or i32, got 'i64'}}
  %q = tile.fp_to_int %v, rounding = rtne : tensor<16xf32> -> tensor<16xi64>
  return
}

//===--- Layouts ---===//

// -----

#b = #tile.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
#c = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
func.func @convert_shape(%t: tensor<16xf32, #b>) {
  // expected-error @+1 {{'tile.convert_layout' op converts 'tensor<16xf32, #tile.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>' to 'tensor<32xf32, #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>': only the layout encoding may change}}
  %c = tile.convert_layout %t : tensor<16xf32, #b> -> tensor<32xf32, #c>
  return
}

// -----

// expected-error @+1 {{#tile.blocked needs sizePerThread, threadsPerWarp, warpsPerCTA and order of one non-zero rank}}
func.func private @rank_mismatch(tensor<16xf32, #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>)

// -----

// expected-error @+1 {{#tile.blocked extents must be powers of two}}
func.func private @not_pow2(tensor<16xf32, #tile.blocked<sizePerThread = [3], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>)

// -----

// expected-error @+1 {{#tile.blocked threadsPerWarp must multiply to 32}}
func.func private @lanes(tensor<16xf32, #tile.blocked<sizePerThread = [4], threadsPerWarp = [16], warpsPerCTA = [4], order = [0]>>)

// -----

// expected-error @+1 {{#tile.blocked order must be a permutation of 0..1}}
func.func private @order(tensor<16x16xf32, #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 1]>>)

// -----

// expected-error @+1 {{#tile.slice dim 2 is out of range for its parent}}
func.func private @slice_dim(tensor<16xf32, #tile.slice<dim = 2, parent = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>>>)

// -----

// expected-error @+1 {{#tile.slice needs a parent of rank 2 or more}}
func.func private @slice_rank(tensor<16xf32, #tile.slice<dim = 0, parent = #tile.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>>)

// -----

func.func @layout_hint(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{'tile.layout' must be a #tile.blocked layout, got 4 : i32}}
  %x = tile.load %p {tile.layout = 4 : i32} : tensor<16x!tile.ptr<f32>>
  return
}

// -----

// expected-error @+1 {{'tile.shared_bytes' must be a non-negative integer, got -4 : i32}}
module attributes {tile.shared_bytes = -4 : i32} {}

// -----

//===--- Tensor-core encodings ---===//

// expected-error @+1 {{#tile.mma version must be 2 (mma.sync) or 3 (wgmma), got 1}}
func.func private @mma_version(tensor<16x8xf32, #tile.mma<version = 1, warpsPerCTA = [1, 1], instrShape = [16, 8]>>)

// -----

// expected-error @+1 {{#tile.mma needs warpsPerCTA and instrShape of rank 2}}
func.func private @mma_rank(tensor<16x8xf32, #tile.mma<version = 2, warpsPerCTA = [4], instrShape = [16, 8]>>)

// -----

// expected-error @+1 {{#tile.mma warpsPerCTA must be powers of two}}
func.func private @mma_warps(tensor<16x8xf32, #tile.mma<version = 2, warpsPerCTA = [3, 1], instrShape = [16, 8]>>)

// -----

// expected-error @+1 {{#tile.mma version 2 needs instrShape = [16, 8]}}
func.func private @mma_v2_instr(tensor<16x8xf32, #tile.mma<version = 2, warpsPerCTA = [1, 1], instrShape = [16, 16]>>)

// -----

// expected-error @+1 {{#tile.mma version 3 needs instrShape = [64, N] with N a power of two from 8 to 256}}
func.func private @mma_v3_instr(tensor<64x8xf32, #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 24]>>)

// -----

// expected-error @+1 {{#tile.mma version 3 needs warpsPerCTA[0] a multiple of 4 (a warpgroup of 4 warps owns 64 rows)}}
func.func private @mma_v3_warps(tensor<64x8xf32, #tile.mma<version = 3, warpsPerCTA = [2, 2], instrShape = [64, 8]>>)

// -----

// expected-error @+1 {{#tile.dot_operand opIdx must be 0 (A) or 1 (B), got 2}}
func.func private @dot_opidx(tensor<16x16xf16, #tile.dot_operand<opIdx = 2, parent = #tile.mma<version = 2, warpsPerCTA = [1, 1], instrShape = [16, 8]>, kWidth = 2>>)

// -----

// expected-error @+1 {{#tile.dot_operand kWidth must be a power of two from 1 to 16, got 3}}
func.func private @dot_kwidth(tensor<16x16xf16, #tile.dot_operand<opIdx = 0, parent = #tile.mma<version = 2, warpsPerCTA = [1, 1], instrShape = [16, 8]>, kWidth = 3>>)

// -----

// expected-error @+1 {{#tile.shared vec, perPhase and maxPhase must be powers of two}}
func.func private @shared_pow2(tensor<64x64xf16, #tile.shared<vec = 6, perPhase = 1, maxPhase = 8, order = [1, 0]>>)

// -----

// expected-error @+1 {{#tile.shared order must be a permutation of 0..rank-1 (rank 1 or more)}}
func.func private @shared_order(tensor<64x64xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 1]>>)

// -----

// expected-error @+1 {{#tile.nvmma_shared swizzle must be 0, 32, 64 or 128 bytes, got 16}}
func.func private @nvmma_swizzle(tensor<64x64xf16, #tile.nvmma_shared<swizzle = 16, elementBits = 16, transposed = false>>)

// -----

// expected-error @+1 {{#tile.nvmma_shared elementBits must be 8, 16 or 32, got 4}}
func.func private @nvmma_bits(tensor<64x64xf16, #tile.nvmma_shared<swizzle = 128, elementBits = 4, transposed = false>>)

//===--- dot: 8-bit K tiles and the f16_exact chain ---===//

// -----

// An int8 dot with a K tile under the 8-bit MMA's K step.
func.func @dot_i8_k16(%a: tensor<16x16xi8>, %b: tensor<16x16xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{'tile.dot' op 8-bit operands ('i8') need K tiles of at least 32, got K = 16: an 8-bit MMA steps K by 32 (mma.sync m16n8k32, wgmma k32)}}
  %d = tile.dot %a, %b, %c, inputPrecision = native : tensor<16x16xi8> * tensor<16x16xi8> -> tensor<16x16xi32>
  return
}

// -----

// An fp8 dot with a K tile under 32.
func.func @dot_f8_k16(%a: tensor<16x16xf8E4M3FN>, %b: tensor<16x16xf8E4M3FN>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op 8-bit operands ('f8E4M3FN') need K tiles of at least 32, got K = 16}}
  %d = tile.dot %a, %b, %c : tensor<16x16xf8E4M3FN> * tensor<16x16xf8E4M3FN> -> tensor<16x16xf32>
  return
}

// -----

// f16_exact accumulates in f32 or converts each dot to i32; never into f16.
func.func @dot_f16_exact_f16_acc(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>, %c: tensor<16x16xf16>) {
  // expected-error @+1 {{'tile.dot' op accumulator element type 'f16' does not go with 'i8' operands and inputPrecision f16_exact (expected f32 or i32)}}
  %d = tile.dot %a, %b, %c, inputPrecision = f16_exact : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf16>
  return
}

// -----

// One f32 dot of K = 2048 is a chain of 2048 products.
func.func @dot_f16_exact_f32_k(%a: tensor<16x2048xi8>, %b: tensor<2048x16xi8>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op inputPrecision f16_exact: the uninterrupted fp32 chain reaching this dot holds 2048 int8 products (this dot's K = 2048); partial sums reach length * 2^14, exact in f32 only up to 2^24, so a chain holds at most 1024 products}}
  %d = tile.dot %a, %b, %c, inputPrecision = f16_exact : tensor<16x2048xi8> * tensor<2048x16xi8> -> tensor<16x16xf32>
  return
}

// -----

// Two f16_exact dots chained through their f32 accumulator: 1024 + 32 products.
func.func @dot_f16_exact_chained(%a: tensor<16x1024xi8>, %b: tensor<1024x16xi8>, %a2: tensor<16x32xi8>, %b2: tensor<32x16xi8>) {
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %d = tile.dot %a, %b, %zero, inputPrecision = f16_exact : tensor<16x1024xi8> * tensor<1024x16xi8> -> tensor<16x16xf32>
  // expected-error @+1 {{the uninterrupted fp32 chain reaching this dot holds 1056 int8 products (this dot's K = 32)}}
  %e = tile.dot %a2, %b2, %d, inputPrecision = f16_exact : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf32>
  return
}

// -----

// A loop of 33 K tiles of 32 carries one chain of 1056 products.
func.func @dot_f16_exact_loop(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>) {
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %lb = arith.constant 0 : i32
  %ub = arith.constant 1056 : i32
  %step = arith.constant 32 : i32
  %r = scf.for %k = %lb to %ub step %step iter_args(%acc = %zero) -> (tensor<16x16xf32>) : i32 {
    // expected-error @+1 {{the uninterrupted fp32 chain reaching this dot holds 1056 int8 products (this dot's K = 32)}}
    %d = tile.dot %a, %b, %acc, inputPrecision = f16_exact : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf32>
    scf.yield %d : tensor<16x16xf32>
  }
  return
}

// -----

// A loop with a trip count only known at run time cannot bound the chain.
func.func @dot_f16_exact_dynamic_loop(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>, %ub: i32) {
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %lb = arith.constant 0 : i32
  %step = arith.constant 32 : i32
  %r = scf.for %k = %lb to %ub step %step iter_args(%acc = %zero) -> (tensor<16x16xf32>) : i32 {
    // expected-error @+1 {{'tile.dot' op inputPrecision f16_exact: the f32 accumulator carries this dot's fp32 chain through an scf.for with no constant trip count, so the chain can exceed 1024 int8 products and lose exactness (partial sums reach length * 2^14 > 2^24); start each chain from a fresh accumulator inside the loop}}
    %d = tile.dot %a, %b, %acc, inputPrecision = f16_exact : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf32>
    scf.yield %d : tensor<16x16xf32>
  }
  return
}

// -----

// The result of a chained loop extends the chain of the dot after it: 32 * 32 + 32.
func.func @dot_f16_exact_after_loop(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>) {
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %lb = arith.constant 0 : i32
  %ub = arith.constant 1024 : i32
  %step = arith.constant 32 : i32
  %r = scf.for %k = %lb to %ub step %step iter_args(%acc = %zero) -> (tensor<16x16xf32>) : i32 {
    %d = tile.dot %a, %b, %acc, inputPrecision = f16_exact : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf32>
    scf.yield %d : tensor<16x16xf32>
  }
  // expected-error @+1 {{holds 1056 int8 products (this dot's K = 32)}}
  %e = tile.dot %a, %b, %r, inputPrecision = f16_exact : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xf32>
  return
}

// -----

//===--- Shared memory ---===//

// expected-error @+1 {{!tile.memdesc is stages x a 1-D or 2-D tile (2 or 3 extents, at least 1 stage), got 4 extents}}
func.func @memdesc_rank(%b: !tile.memdesc<2x2x64x32xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [2, 1, 0]>>) {
  return
}

// -----

// expected-error @+1 {{!tile.memdesc tile extents must be powers of two, got 48}}
func.func @memdesc_extent(%b: !tile.memdesc<2x48x32xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>>) {
  return
}

// -----

// expected-error @+1 {{!tile.memdesc of a rank-2 tile needs a #tile.shared encoding of that rank, got #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [0]>}}
func.func @memdesc_encoding(%b: !tile.memdesc<2x64x32xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [0]>>) {
  return
}

// -----

// expected-error @+1 {{!tile.memdesc holds integers or floats of 8 bits or more, not 'i1'}}
func.func @memdesc_element(%b: !tile.memdesc<2x64x32xi1, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>>) {
  return
}

// -----

#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>
func.func @copy_shape(%p: tensor<32x32x!tile.ptr<f16>>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<2x64x32xf16, #s>
  // expected-error @+1 {{'tile.async_copy' op copies a 'tensor<32x32x!tile.ptr<f16>>' tile into buffers of '!tile.memdesc<2x64x32xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>>': the tile shapes differ}}
  tile.async_copy %p, %buf[%s] : tensor<32x32x!tile.ptr<f16>>, !tile.memdesc<2x64x32xf16, #s>
  return
}

// -----

#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>
func.func @copy_type(%p: tensor<64x32x!tile.ptr<bf16>>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<2x64x32xf16, #s>
  // expected-error @+1 {{'tile.async_copy' op copies 'bf16' elements into a buffer of 'f16'}}
  tile.async_copy %p, %buf[%s] : tensor<64x32x!tile.ptr<bf16>>, !tile.memdesc<2x64x32xf16, #s>
  return
}

// -----

#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>
func.func @copy_mask(%p: tensor<64x32x!tile.ptr<f16>>, %m: tensor<64x16xi1>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<2x64x32xf16, #s>
  // expected-error @+1 {{'tile.async_copy' op mask 'tensor<64x16xi1>' does not have the pointers' shape}}
  tile.async_copy %p, %buf[%s] mask %m : tensor<64x16xi1> : tensor<64x32x!tile.ptr<f16>>, !tile.memdesc<2x64x32xf16, #s>
  return
}

// -----

#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>
func.func @local_load_type(%s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<2x64x32xf16, #s>
  // expected-error @+1 {{'tile.local_load' op reads 'tensor<64x32xf32>' from buffers of '!tile.memdesc<2x64x32xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>>': shape and element type must be the buffer's}}
  %t = tile.local_load %buf[%s] : !tile.memdesc<2x64x32xf16, #s> -> tensor<64x32xf32>
  return
}

// -----

#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>
#b = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
func.func @local_store_type(%v: tensor<64x32xi8, #b>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<1x64x32xf16, #s>
  // expected-error @+1 {{'tile.local_store' op writes 'tensor<64x32xi8, #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>>' into buffers of '!tile.memdesc<1x64x32xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>>': shape and element type must be the buffer's}}
  tile.local_store %v, %buf[%s] : tensor<64x32xi8, #b> -> !tile.memdesc<1x64x32xf16, #s>
  return
}

// -----

#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 1, order = [1, 0]>
func.func @local_store_layout(%v: tensor<64x32xf16>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<1x64x32xf16, #s>
  // expected-error @+1 {{'tile.local_store' op writes 'tensor<64x32xf16>': the value needs a distributed layout}}
  tile.local_store %v, %buf[%s] : tensor<64x32xf16> -> !tile.memdesc<1x64x32xf16, #s>
  return
}

// -----

// expected-error @+1 {{'tile.num_stages' must be an integer from 1 to 8, got 9 : i32}}
module attributes {tile.num_stages = 9 : i32} {
}

// -----

// expected-error @+1 {{'tile.min_programs_per_sm' must be an integer from 1 to 32, got 0 : i32}}
module attributes {tile.min_programs_per_sm = 0 : i32} {
}

// -----

// expected-error @+1 {{'tile.min_programs_per_sm' must be an integer from 1 to 32, got 33 : i32}}
module attributes {tile.min_programs_per_sm = 33 : i32} {
}

// -----

// expected-error @+1 {{'tile.min_programs_per_sm' must be an integer from 1 to 32, got "3"}}
module attributes {tile.min_programs_per_sm = "3"} {
}

// -----

// expected-error @+1 {{'tile.pipeline_copies_at' must be "top", "after_first_dot" or "bottom", got "middle"}}
module attributes {tile.pipeline_copies_at = "middle"} {
}

// -----

// expected-error @+1 {{'tile.pipeline_copies_at' must be "top", "after_first_dot" or "bottom", got 1 : i32}}
module attributes {tile.pipeline_copies_at = 1 : i32} {
}

// -----

// expected-error @+1 {{'tile.pipeline_other_loads' is a unit attribute, got 1 : i32}}
module attributes {tile.pipeline_other_loads = 1 : i32} {
}

// -----

// expected-error @+1 {{'tile.shared_immediate_offsets' is a unit attribute, got true}}
module attributes {tile.shared_immediate_offsets = true} {
}

// -----

func.func @commit_not_a_token(%x: i32) {
  // expected-error @+1 {{'tile.async_commit' op operand #0 must be variadic of the completion of asynchronous copies, but got 'i32'}}
  %g = "tile.async_commit"(%x) : (i32) -> !tile.async_token
  return
}

// -----

func.func @wait_gives_a_token() {
  // expected-error @+1 {{'tile.async_wait' op result #0 must be the completion of asynchronous copies, but got 'i32'}}
  %w = "tile.async_wait"() {pending = 0 : i32} : () -> i32
  return
}

// -----

func.func @fp_to_e2m1x2_shape(%v: tensor<4x16xf32>) {
  // expected-error @+1 {{'tile.fp_to_e2m1x2' op result shape 'tensor<4x16xi8>' must be the source's 'tensor<4x16xf32>' with the last dimension halved}}
  %q = tile.fp_to_e2m1x2 %v : tensor<4x16xf32> -> tensor<4x16xi8>
  return
}

// -----

func.func @fp_to_e2m1x2_rows(%v: tensor<4x16xf32>) {
  // expected-error @+1 {{'tile.fp_to_e2m1x2' op result shape 'tensor<2x8xi8>' must be the source's 'tensor<4x16xf32>' with the last dimension halved}}
  %q = tile.fp_to_e2m1x2 %v : tensor<4x16xf32> -> tensor<2x8xi8>
  return
}

// -----

func.func @fp_to_e2m1x2_source(%v: tensor<16xf8E4M3FN>) {
  // expected-error @+1 {{'tile.fp_to_e2m1x2' op source element type must be f32, f16 or bf16, got 'f8E4M3FN'}}
  %q = tile.fp_to_e2m1x2 %v : tensor<16xf8E4M3FN> -> tensor<8xi8>
  return
}

// -----

func.func @fp_to_e2m1x2_result(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.fp_to_e2m1x2' op result element type must be i8 (two e2m1 codes a byte), got 'i16'}}
  %q = tile.fp_to_e2m1x2 %v : tensor<16xf32> -> tensor<8xi16>
  return
}

// -----

//===--- tile.warpgroup_dot ---===//

#sa = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_shapes(%a: !tile.memdesc<2x64x64xf16, #sa>, %b: !tile.memdesc<2x32x64xf16, #sb>, %c: tensor<64x64xf32, #mma3>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op needs buffers of M x K and K x N tiles and an M x N accumulator}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c : !tile.memdesc<2x64x64xf16, #sa>, !tile.memdesc<2x32x64xf16, #sb> -> tensor<64x64xf32, #mma3>
  return
}

// -----

#sa = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_types(%a: !tile.memdesc<2x64x64xf16, #sa>, %b: !tile.memdesc<2x64x64xf16, #sb>, %c: tensor<64x64xf16, #mma3>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op computes f16 or bf16 into f32 (ieee) and i8 into i32 (native), got 'f16' x 'f16' -> 'f16' (ieee)}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c : !tile.memdesc<2x64x64xf16, #sa>, !tile.memdesc<2x64x64xf16, #sb> -> tensor<64x64xf16, #mma3>
  return
}

// -----

#sa = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma2 = #tile.mma<version = 2, warpsPerCTA = [4, 1], instrShape = [16, 8]>
func.func @warpgroup_dot_layout(%a: !tile.memdesc<2x64x64xf16, #sa>, %b: !tile.memdesc<2x64x64xf16, #sb>, %c: tensor<64x64xf32, #mma2>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op needs an #tile.mma version 3 accumulator}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c : !tile.memdesc<2x64x64xf16, #sa>, !tile.memdesc<2x64x64xf16, #sb> -> tensor<64x64xf32, #mma2>
  return
}

// -----

#sa = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [8, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_small(%a: !tile.memdesc<2x64x64xf16, #sa>, %b: !tile.memdesc<2x64x64xf16, #sb>, %c: tensor<64x64xf32, #mma3>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op accumulator 'tensor<64x64xf32, #tile.mma<version = 3, warpsPerCTA = [8, 1], instrShape = [64, 64]>>' is smaller than its layout's tile of warpgroup instructions}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c : !tile.memdesc<2x64x64xf16, #sa>, !tile.memdesc<2x64x64xf16, #sb> -> tensor<64x64xf32, #mma3>
  return
}

// -----

// b stored N-contiguous (order [1, 0]): not K-major.
#sa = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_k_major(%a: !tile.memdesc<2x64x64xf16, #sa>, %b: !tile.memdesc<2x64x64xf16, #sa>, %c: tensor<64x64xf32, #mma3>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op operand b must be K-major with rows of 32, 64 or 128 bytes in the swizzle of that row length}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c : !tile.memdesc<2x64x64xf16, #sa>, !tile.memdesc<2x64x64xf16, #sa> -> tensor<64x64xf32, #mma3>
  return
}

// -----

// Rows of 256 bytes (K = 128 f16): longer than any swizzle.
#sa = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_row(%a: !tile.memdesc<2x64x128xf16, #sa>, %b: !tile.memdesc<2x128x64xf16, #sb>, %c: tensor<64x64xf32, #mma3>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op operand a must be K-major with rows of 32, 64 or 128 bytes}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c : !tile.memdesc<2x64x128xf16, #sa>, !tile.memdesc<2x128x64xf16, #sb> -> tensor<64x64xf32, #mma3>
  return
}

// -----

// An asynchronous dot's result read before a wait says it is done.
#sa = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_async_read(%a: !tile.memdesc<2x64x128xi8, #sa>, %b: !tile.memdesc<2x128x64xi8, #sb>, %c: tensor<64x64xi32, #mma3>, %s: i32) {
  // expected-error @+1 {{'tile.warpgroup_dot' op isAsync: its result is read before a tile.warpgroup_dot_wait, by arith.addi}}
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c, inputPrecision = native {isAsync} : !tile.memdesc<2x64x128xi8, #sa>, !tile.memdesc<2x128x64xi8, #sb> -> tensor<64x64xi32, #mma3>
  %e = arith.addi %d, %c : tensor<64x64xi32, #mma3>
  return
}

// -----

#sa = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
func.func @warpgroup_dot_wait_sync(%a: !tile.memdesc<2x64x128xi8, #sa>, %b: !tile.memdesc<2x128x64xi8, #sb>, %c: tensor<64x64xi32, #mma3>, %s: i32) {
  %d = tile.warpgroup_dot %a[%s], %b[%s], %c, inputPrecision = native : !tile.memdesc<2x64x128xi8, #sa>, !tile.memdesc<2x128x64xi8, #sb> -> tensor<64x64xi32, #mma3>
  // expected-error @+1 {{'tile.warpgroup_dot_wait' op waits for a warpgroup_dot that is not isAsync (its result is ready already)}}
  %r = tile.warpgroup_dot_wait %d {pendings = 0 : i32} : tensor<64x64xi32, #mma3>
  return
}

// -----

#mma2 = #tile.mma<version = 2, warpsPerCTA = [4, 1], instrShape = [16, 8]>
func.func @warpgroup_dot_wait_layout(%c: tensor<64x64xi32, #mma2>) {
  // expected-error @+1 {{'tile.warpgroup_dot_wait' op waits for wgmma accumulators (#tile.mma version 3), got 'tensor<64x64xi32, #tile.mma<version = 2}}
  %r = tile.warpgroup_dot_wait %c {pendings = 0 : i32} : tensor<64x64xi32, #mma2>
  return
}
