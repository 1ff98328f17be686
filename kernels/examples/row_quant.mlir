// Per-row absmax fp8 quantization, written directly in the tile dialect.
//
// One program per row of x [M, K] (bf16, row stride `stride_x` elements):
//   absmax   = max(max_k |x[m, k]|, eps)
//   scale[m] = absmax / 448
//   q[m, k]  = fp8_e4m3fn(x[m, k] * (1 / scale[m]))   (RNE, saturating)
// K <= 8192 and a multiple of 8; the tile covers the row and masks its tail.
module attributes {tile.num_warps = 8 : i32, tile.target = "cuda:90a"} {
  func.func @row_quant(%x: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
                       %q: !tile.ptr<f8E4M3FN> {tile.divisibility = 16 : i32},
                       %scale: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                       %K: i32 {tile.divisibility = 8 : i32},
                       %stride_x: i32 {tile.divisibility = 8 : i32},
                       %stride_q: i32 {tile.divisibility = 16 : i32}) {
    %row = tile.program_id x : i32
    %cols = tile.make_range {end = 8192 : i32, start = 0 : i32} : tensor<8192xi32>
    %k_tile = tile.splat %K : i32 -> tensor<8192xi32>
    %mask = arith.cmpi slt, %cols, %k_tile : tensor<8192xi32>

    // The row's base in 64 bits (row * stride can pass 2^31 elements), the
    // columns inside it in 32.
    %row64 = arith.extsi %row : i32 to i64
    %stride_x64 = arith.extsi %stride_x : i32 to i64
    %x_off = arith.muli %row64, %stride_x64 : i64
    %x_row = tile.addptr %x, %x_off : !tile.ptr<bf16>, i64

    // Load the row, widened to f32; masked lanes read as 0.
    %x_rows = tile.splat %x_row : !tile.ptr<bf16> -> tensor<8192x!tile.ptr<bf16>>
    %x_ptrs = tile.addptr %x_rows, %cols : tensor<8192x!tile.ptr<bf16>>, tensor<8192xi32>
    %zero = arith.constant dense<0.0> : tensor<8192xbf16>
    %xb = tile.load %x_ptrs, %mask, %zero : tensor<8192x!tile.ptr<bf16>>
    %xf = arith.extf %xb : tensor<8192xbf16> to tensor<8192xf32>

    // absmax over the row, clamped below by eps.
    %abs = math.absf %xf : tensor<8192xf32>
    %amax = tile.reduce %abs axis = 0 : (tensor<8192xf32>) -> f32 {
    ^bb0(%a: f32, %b: f32):
      %m = arith.maximumf %a, %b : f32
      tile.reduce.return %m : f32
    }
    %eps = arith.constant 1.0e-10 : f32
    %absmax = arith.maximumf %amax, %eps : f32

    // scale = absmax / 448; q = x * (1 / scale), rounded to e4m3fn.
    %qmax = arith.constant 448.0 : f32
    %s = arith.divf %absmax, %qmax : f32
    %one = arith.constant 1.0 : f32
    %inv = arith.divf %one, %s : f32
    %inv_tile = tile.splat %inv : f32 -> tensor<8192xf32>
    %v = arith.mulf %xf, %inv_tile : tensor<8192xf32>
    %q8 = tile.fp_to_fp %v, rounding = rtne, saturate : tensor<8192xf32> -> tensor<8192xf8E4M3FN>

    %stride_q64 = arith.extsi %stride_q : i32 to i64
    %q_off = arith.muli %row64, %stride_q64 : i64
    %q_row = tile.addptr %q, %q_off : !tile.ptr<f8E4M3FN>, i64
    %q_rows = tile.splat %q_row : !tile.ptr<f8E4M3FN> -> tensor<8192x!tile.ptr<f8E4M3FN>>
    %q_ptrs = tile.addptr %q_rows, %cols : tensor<8192x!tile.ptr<f8E4M3FN>>, tensor<8192xi32>
    tile.store %q_ptrs, %q8, %mask cache = cs : tensor<8192x!tile.ptr<f8E4M3FN>>

    %s_ptr = tile.addptr %scale, %row : !tile.ptr<f32>, i32
    tile.store %s_ptr, %s : !tile.ptr<f32>
    return
  }
}
