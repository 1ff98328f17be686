// Dense matrix product on the tensor cores, written directly in the tile
// dialect: the smallest GEMM to copy.
//
//   c[m, n] = sum_k a[m, k] * b[k, n]      (f16 operands, f32 accumulation)
//
// a is M x K (row stride lda elements), b is K x N (row stride ldb), c is
// M x N f32 (row stride ldc); M * lda, K * ldb and M * ldc < 2^31 (offsets
// are 32-bit here). Any M, N, K: ragged edges are masked (a and b read 0
// there, c is not written). Each program computes one 64x64 tile of c,
// program_id x along N and y along M, looping over K 32 at a time; the
// compiler gives the dot mma.sync (tile-accelerate-matmul).
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @matmul(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                    %b: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                    %c: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                    %M: i32, %N: i32, %K: i32,
                    %lda: i32, %ldb: i32, %ldc: i32) {
    %pid_n = tile.program_id x : i32
    %pid_m = tile.program_id y : i32
    %c64 = arith.constant 64 : i32
    %m0 = arith.muli %pid_m, %c64 : i32
    %n0 = arith.muli %pid_n, %c64 : i32
    %r64 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
    %r32 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
    %m0_t = tile.splat %m0 : i32 -> tensor<64xi32>
    %n0_t = tile.splat %n0 : i32 -> tensor<64xi32>
    %rows = arith.addi %r64, %m0_t : tensor<64xi32>
    %cols = arith.addi %r64, %n0_t : tensor<64xi32>

    // a's tile: rows x k, at a + row * lda + k.
    %rows_c = tile.expand_dims %rows {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    %lda_c = tile.splat %lda : i32 -> tensor<64x1xi32>
    %a_row = arith.muli %rows_c, %lda_c : tensor<64x1xi32>
    %a_row_b = tile.broadcast %a_row : tensor<64x1xi32> -> tensor<64x32xi32>
    %k_r = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
    %k_a = tile.broadcast %k_r : tensor<1x32xi32> -> tensor<64x32xi32>
    %a_off = arith.addi %a_row_b, %k_a : tensor<64x32xi32>
    %rows_a = tile.broadcast %rows_c : tensor<64x1xi32> -> tensor<64x32xi32>
    %M_a = tile.splat %M : i32 -> tensor<64x32xi32>
    %a_rows_in = arith.cmpi slt, %rows_a, %M_a : tensor<64x32xi32>
    %K_a = tile.splat %K : i32 -> tensor<64x32xi32>

    // b's tile: k x cols, at b + k * ldb + col.
    %k_c = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
    %k_b = tile.broadcast %k_c : tensor<32x1xi32> -> tensor<32x64xi32>
    %ldb_c = tile.splat %ldb : i32 -> tensor<32x1xi32>
    %b_row = arith.muli %k_c, %ldb_c : tensor<32x1xi32>
    %b_row_b = tile.broadcast %b_row : tensor<32x1xi32> -> tensor<32x64xi32>
    %cols_r = tile.expand_dims %cols {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
    %cols_b = tile.broadcast %cols_r : tensor<1x64xi32> -> tensor<32x64xi32>
    %b_off = arith.addi %b_row_b, %cols_b : tensor<32x64xi32>
    %N_b = tile.splat %N : i32 -> tensor<32x64xi32>
    %b_cols_in = arith.cmpi slt, %cols_b, %N_b : tensor<32x64xi32>
    %K_b = tile.splat %K : i32 -> tensor<32x64xi32>

    %a_base = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
    %a_ptrs = tile.addptr %a_base, %a_off : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %b_base = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
    %b_ptrs = tile.addptr %b_base, %b_off : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %a_zero = arith.constant dense<0.0> : tensor<64x32xf16>
    %b_zero = arith.constant dense<0.0> : tensor<32x64xf16>
    %zero = arith.constant dense<0.0> : tensor<64x64xf32>
    %c0 = arith.constant 0 : i32
    %c32 = arith.constant 32 : i32

    %acc = scf.for %k0 = %c0 to %K step %c32 iter_args(%sum = %zero) -> (tensor<64x64xf32>) : i32 {
      // The K tile at k0: a's columns and b's rows k0 .. k0 + 31.
      %k0_a = tile.splat %k0 : i32 -> tensor<64x32xi32>
      %ka = arith.addi %k_a, %k0_a : tensor<64x32xi32>
      %a_k_in = arith.cmpi slt, %ka, %K_a : tensor<64x32xi32>
      %a_mask = arith.andi %a_rows_in, %a_k_in : tensor<64x32xi1>
      %a_k = tile.addptr %a_ptrs, %k0_a : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
      %a_tile = tile.load %a_k, %a_mask, %a_zero : tensor<64x32x!tile.ptr<f16>>

      %k0_b = tile.splat %k0 : i32 -> tensor<32x64xi32>
      %kb = arith.addi %k_b, %k0_b : tensor<32x64xi32>
      %b_k_in = arith.cmpi slt, %kb, %K_b : tensor<32x64xi32>
      %b_mask = arith.andi %b_cols_in, %b_k_in : tensor<32x64xi1>
      %b_step = arith.muli %k0, %ldb : i32
      %b_step_t = tile.splat %b_step : i32 -> tensor<32x64xi32>
      %b_k = tile.addptr %b_ptrs, %b_step_t : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
      %b_tile = tile.load %b_k, %b_mask, %b_zero : tensor<32x64x!tile.ptr<f16>>

      %next = tile.dot %a_tile, %b_tile, %sum : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
      scf.yield %next : tensor<64x64xf32>
    }

    // c's tile, rows past M and columns past N masked.
    %ldc_c = tile.splat %ldc : i32 -> tensor<64x1xi32>
    %c_row = arith.muli %rows_c, %ldc_c : tensor<64x1xi32>
    %c_row_b = tile.broadcast %c_row : tensor<64x1xi32> -> tensor<64x64xi32>
    %cols_c = tile.broadcast %cols_r : tensor<1x64xi32> -> tensor<64x64xi32>
    %c_off = arith.addi %c_row_b, %cols_c : tensor<64x64xi32>
    %rows_cc = tile.broadcast %rows_c : tensor<64x1xi32> -> tensor<64x64xi32>
    %M_c = tile.splat %M : i32 -> tensor<64x64xi32>
    %N_c = tile.splat %N : i32 -> tensor<64x64xi32>
    %c_rows_in = arith.cmpi slt, %rows_cc, %M_c : tensor<64x64xi32>
    %c_cols_in = arith.cmpi slt, %cols_c, %N_c : tensor<64x64xi32>
    %c_mask = arith.andi %c_rows_in, %c_cols_in : tensor<64x64xi1>
    %c_base = tile.splat %c : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
    %c_ptrs = tile.addptr %c_base, %c_off : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
    tile.store %c_ptrs, %acc, %c_mask : tensor<64x64x!tile.ptr<f32>>
    return
  }
}
