// Every narrowing conversion the GPU lowering implements, elementwise over
// x[n] f32, so that each can be checked bit-exactly on the GPU:
//   q8sat[i] = fp8 e4m3fn(x[i]), round to nearest even, saturating
//   q8[i]    = fp8 e4m3fn(x[i]), round to nearest even, NaN beyond 448
//   back[i]  = f32(q8sat[i])                      (fp8 widening)
//   fp4[i]   = f32(e2m1(x[i]))                    (e2m1 there and back)
//   i8e[i]   = int8(x[i]) rounding to nearest even, saturating
//   i8z[i]   = int8(x[i]) rounding toward zero, saturating
//   i8a[i]   = int8(x[i]) rounding half away from zero, saturating
//   fp4x2[i] = e2m1(x[2i]) | e2m1(x[2i + 1]) << 4  (pairs packed, n even or
//              the last pair's high nibble undefined)
module attributes {tile.num_warps = 4 : i32} {
  func.func @convert(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %q8sat: !tile.ptr<f8E4M3FN> {tile.divisibility = 16 : i32},
                     %q8: !tile.ptr<f8E4M3FN> {tile.divisibility = 16 : i32},
                     %back: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %fp4: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %i8e: !tile.ptr<i8> {tile.divisibility = 16 : i32},
                     %i8z: !tile.ptr<i8> {tile.divisibility = 16 : i32},
                     %i8a: !tile.ptr<i8> {tile.divisibility = 16 : i32},
                     %fp4x2: !tile.ptr<i8> {tile.divisibility = 16 : i32},
                     %n: i32) {
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

    %a = tile.fp_to_fp %v, rounding = rtne, saturate : tensor<512xf32> -> tensor<512xf8E4M3FN>
    %ap = tile.splat %q8sat : !tile.ptr<f8E4M3FN> -> tensor<512x!tile.ptr<f8E4M3FN>>
    %app = tile.addptr %ap, %offs : tensor<512x!tile.ptr<f8E4M3FN>>, tensor<512xi32>
    tile.store %app, %a, %mask : tensor<512x!tile.ptr<f8E4M3FN>>

    %b = tile.fp_to_fp %v, rounding = rtne : tensor<512xf32> -> tensor<512xf8E4M3FN>
    %bp = tile.splat %q8 : !tile.ptr<f8E4M3FN> -> tensor<512x!tile.ptr<f8E4M3FN>>
    %bpp = tile.addptr %bp, %offs : tensor<512x!tile.ptr<f8E4M3FN>>, tensor<512xi32>
    tile.store %bpp, %b, %mask : tensor<512x!tile.ptr<f8E4M3FN>>

    %w = tile.fp_to_fp %a : tensor<512xf8E4M3FN> -> tensor<512xf32>
    %wp = tile.splat %back : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
    %wpp = tile.addptr %wp, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    tile.store %wpp, %w, %mask : tensor<512x!tile.ptr<f32>>

    %f4 = tile.fp_to_fp %v, rounding = rtne, saturate : tensor<512xf32> -> tensor<512xf4E2M1FN>
    %f4w = tile.fp_to_fp %f4 : tensor<512xf4E2M1FN> -> tensor<512xf32>
    %fp = tile.splat %fp4 : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
    %fpp = tile.addptr %fp, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    tile.store %fpp, %f4w, %mask : tensor<512x!tile.ptr<f32>>

    %e = tile.fp_to_int %v, rounding = rtne : tensor<512xf32> -> tensor<512xi8>
    %ep = tile.splat %i8e : !tile.ptr<i8> -> tensor<512x!tile.ptr<i8>>
    %epp = tile.addptr %ep, %offs : tensor<512x!tile.ptr<i8>>, tensor<512xi32>
    tile.store %epp, %e, %mask : tensor<512x!tile.ptr<i8>>

    %z = tile.fp_to_int %v, rounding = rtz : tensor<512xf32> -> tensor<512xi8>
    %zp = tile.splat %i8z : !tile.ptr<i8> -> tensor<512x!tile.ptr<i8>>
    %zpp = tile.addptr %zp, %offs : tensor<512x!tile.ptr<i8>>, tensor<512xi32>
    tile.store %zpp, %z, %mask : tensor<512x!tile.ptr<i8>>

    %h = tile.fp_to_int %v, rounding = rna : tensor<512xf32> -> tensor<512xi8>
    %hp = tile.splat %i8a : !tile.ptr<i8> -> tensor<512x!tile.ptr<i8>>
    %hpp = tile.addptr %hp, %offs : tensor<512x!tile.ptr<i8>>, tensor<512xi32>
    tile.store %hpp, %h, %mask : tensor<512x!tile.ptr<i8>>

    %pk = tile.fp_to_e2m1x2 %v : tensor<512xf32> -> tensor<256xi8>
    %c2 = arith.constant 2 : i32
    %c256 = arith.constant 256 : i32
    %pstart = arith.muli %pid, %c256 : i32
    %pr = tile.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32>
    %ps = tile.splat %pstart : i32 -> tensor<256xi32>
    %poffs = arith.addi %ps, %pr : tensor<256xi32>
    %two = tile.splat %c2 : i32 -> tensor<256xi32>
    %pfirst = arith.muli %poffs, %two : tensor<256xi32>
    %pn = tile.splat %n : i32 -> tensor<256xi32>
    %pmask = arith.cmpi slt, %pfirst, %pn : tensor<256xi32>
    %pkp = tile.splat %fp4x2 : !tile.ptr<i8> -> tensor<256x!tile.ptr<i8>>
    %pkpp = tile.addptr %pkp, %poffs : tensor<256x!tile.ptr<i8>>, tensor<256xi32>
    tile.store %pkpp, %pk, %pmask : tensor<256x!tile.ptr<i8>>
    return
  }
}
