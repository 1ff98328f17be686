// SiLU, x / (1 + exp(-x)) with an approximate (afn) division as the DSL's
// silu writes it, twice over x[n] f32:
//   short[i] = with the constant 1: the lowering proves the flush-to-zero
//              forms exact (ex2.approx.ftz, rcp.approx.ftz and a multiply;
//              FlushSafeMath.cpp)
//   full[i]  = with `one`, an argument the caller sets to 1.0: nothing is
//              known of it, so the full forms (ex2.approx, div.approx)
//              (exp as math.exp2 of x * log2(e), the lowering's own
//              arithmetic for math.exp)
// The GPU test runs every f32 through both and wants the same bits.
module attributes {tile.num_warps = 4 : i32} {
  func.func @silu_forms(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %short: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %full: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %one: f32, %n: i32) {
    %pid = tile.program_id x : i32
    %c512 = arith.constant 512 : i32
    %start = arith.muli %pid, %c512 : i32
    %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
    %s = tile.splat %start : i32 -> tensor<512xi32>
    %offs = arith.addi %s, %r : tensor<512xi32>
    %nt = tile.splat %n : i32 -> tensor<512xi32>
    %mask = arith.cmpi slt, %offs, %nt : tensor<512xi32>
    %xs = tile.splat %x : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    %v = tile.load %xp, %mask : tensor<512x!tile.ptr<f32>>
    %neg = arith.negf %v : tensor<512xf32>

    %e1 = math.exp %neg : tensor<512xf32>
    %c1 = arith.constant dense<1.0> : tensor<512xf32>
    %d1 = arith.addf %c1, %e1 : tensor<512xf32>
    %y1 = arith.divf %v, %d1 fastmath<afn> : tensor<512xf32>
    %sp = tile.splat %short : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
    %spp = tile.addptr %sp, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    tile.store %spp, %y1, %mask : tensor<512x!tile.ptr<f32>>

    // exp(-x) as the lowering computes it (times log2(e) rounded to f32,
    // then ex2), spelled out so that CSE cannot merge it with %e1.
    %log2e = arith.constant dense<1.44269502> : tensor<512xf32>
    %m = arith.mulf %neg, %log2e : tensor<512xf32>
    %e2 = math.exp2 %m : tensor<512xf32>
    %ones = tile.splat %one : f32 -> tensor<512xf32>
    %d2 = arith.addf %ones, %e2 : tensor<512xf32>
    %y2 = arith.divf %v, %d2 fastmath<afn> : tensor<512xf32>
    %fp = tile.splat %full : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
    %fpp = tile.addptr %fp, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    tile.store %fpp, %y2, %mask : tensor<512x!tile.ptr<f32>>
    return
  }
}
