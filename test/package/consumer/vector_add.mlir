// out[i] = x[i] + y[i] over n f32 elements; one program per 1024 elements,
// the last one masked.
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @vector_add(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %y: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %n: i32) {
    %pid = tile.program_id x : i32
    %c1024 = arith.constant 1024 : i32
    %start = arith.muli %pid, %c1024 : i32
    %range = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
    %start_tile = tile.splat %start : i32 -> tensor<1024xi32>
    %offs = arith.addi %start_tile, %range : tensor<1024xi32>
    %n_tile = tile.splat %n : i32 -> tensor<1024xi32>
    %mask = arith.cmpi slt, %offs, %n_tile : tensor<1024xi32>

    %xs = tile.splat %x : !tile.ptr<f32> -> tensor<1024x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
    %a = tile.load %xp, %mask : tensor<1024x!tile.ptr<f32>>
    %ys = tile.splat %y : !tile.ptr<f32> -> tensor<1024x!tile.ptr<f32>>
    %yp = tile.addptr %ys, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
    %b = tile.load %yp, %mask : tensor<1024x!tile.ptr<f32>>
    %sum = arith.addf %a, %b : tensor<1024xf32>

    %os = tile.splat %out : !tile.ptr<f32> -> tensor<1024x!tile.ptr<f32>>
    %op = tile.addptr %os, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
    tile.store %op, %sum, %mask : tensor<1024x!tile.ptr<f32>>
    return
  }
}
