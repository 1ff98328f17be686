# The kernel variants the Python package ships for the GPU (sm_90a cubins,
# compiled ahead of time by tile_aot_kernel): the ones KERNELS.md and the
# engines (sglang, vLLM, DeepGEMM's callers) use. A call whose spec is not
# here is refused on the GPU with this list (backend="interp" runs any).
#
#   tile_python_variant(<id> <kernel> [name=value ...])
#
# Parameters not given keep the family's defaults (kernels/*/...Params.h);
# the GPU module matches a call's spec against every parameter.

# group_quant: DeepSeek's group of 128, bf16/fp16 in; fp8 with row-major,
# TMA-aligned column-major (fp32 or UE8M0-rounded) and packed UE8M0 scales;
# int8 with row-major scales. Any row stride through the divisibility-1 twins.
foreach(in bf16 fp16)
  tile_python_variant(gq_${in}_fp8_row group_quant in=${in})
  tile_python_variant(gq_${in}_fp8_coltma group_quant in=${in} scales=col_tma)
  tile_python_variant(gq_${in}_fp8_coltma_ue8m0 group_quant in=${in} scales=col_tma ue8m0=1)
  tile_python_variant(gq_${in}_fp8_packed group_quant in=${in} scales=ue8m0_packed)
  tile_python_variant(gq_${in}_int8_row group_quant in=${in} out=int8)
  tile_python_variant(gq_${in}_fp8_row_d1 group_quant in=${in} stride_divisibility=1)
endforeach()

# token_quant: the tile tile-run picks for the common hidden sizes (1368 as
# 1024 + 512, 2048, 4096, 5120 as 4096 + 2048, 7168 in 8192, 16384), rows
# past 16384 in 8192-wide chunks on 16 warps, and the chunked kernels for any
# K and stride (divisibility 1) as every call's fallbacks
# (chooseTokenQuantChunks: 8192-wide past 16384 columns, else 4096-wide).
foreach(out fp8 int8)
  set(o in=bf16 out=${out})
  tile_python_variant(tq_${out}_1024t512 token_quant ${o} block_k=1024 tail_k=512 rows_per_program=2 num_warps=4)
  tile_python_variant(tq_${out}_2048 token_quant ${o} block_k=2048 rows_per_program=2 num_warps=4)
  tile_python_variant(tq_${out}_4096 token_quant ${o} block_k=4096 num_warps=8)
  tile_python_variant(tq_${out}_4096t2048 token_quant ${o} block_k=4096 tail_k=2048 num_warps=8)
  tile_python_variant(tq_${out}_8192 token_quant ${o} block_k=8192 num_warps=8)
  tile_python_variant(tq_${out}_16384 token_quant ${o} block_k=16384 num_warps=8)
  tile_python_variant(tq_${out}_loop token_quant ${o} loop_k=1 block_k=8192 num_warps=16)
  tile_python_variant(tq_${out}_loop_d1 token_quant ${o} loop_k=1 block_k=8192 num_warps=16 k_divisibility=1)
  tile_python_variant(tq_${out}_loop4096_d1 token_quant ${o} loop_k=1 block_k=4096 num_warps=8 k_divisibility=1)
endforeach()
tile_python_variant(tq_fp16_fp8_loop_d1 token_quant in=fp16 loop_k=1 block_k=8192 num_warps=16 k_divisibility=1)
tile_python_variant(tq_fp16_fp8_loop4096_d1 token_quant in=fp16 loop_k=1 block_k=4096 num_warps=8 k_divisibility=1)

# silu_mul_quant: fp8 with group 128 in each scale layout (the contiguous
# form also with 4 groups on one warp, the shape tunedFor() picked for many
# short rows until 2026-11-30), int8 with row-major scales; the masked form
# with DeepGEMM's layouts.
tile_python_variant(smq_fp8_row silu_mul_quant)
tile_python_variant(smq_fp8_row_g4w1 silu_mul_quant groups_per_program=4 num_warps=1)
tile_python_variant(smq_fp8_coltma silu_mul_quant scales=col_tma)
tile_python_variant(smq_fp8_coltma_ue8m0 silu_mul_quant scales=col_tma ue8m0=1)
tile_python_variant(smq_fp8_packed silu_mul_quant scales=ue8m0_packed)
tile_python_variant(smq_int8_row silu_mul_quant out=int8)
tile_python_variant(smq_fp8_row_d1 silu_mul_quant stride_divisibility=1)
tile_python_variant(smq_masked_fp8_coltma silu_mul_quant masked=1 scales=col_tma)
tile_python_variant(smq_masked_fp8_coltma_ue8m0 silu_mul_quant masked=1 scales=col_tma ue8m0=1)
tile_python_variant(smq_masked_fp8_packed silu_mul_quant masked=1 scales=ue8m0_packed)

# silu_mul_nvfp4: [gate | up] and [up | gate], any row stride too.
tile_python_variant(nvfp4 silu_mul_nvfp4)
tile_python_variant(nvfp4_up_first silu_mul_nvfp4 up_first=1)
tile_python_variant(nvfp4_d1 silu_mul_nvfp4 stride_divisibility=1)
# Rows longer than 2048 columns (several programs a row) on 2 warps
# (siluMulNvfp4WarpsFor).
tile_python_variant(nvfp4_w2 silu_mul_nvfp4 num_warps=2)
tile_python_variant(nvfp4_up_first_w2 silu_mul_nvfp4 up_first=1 num_warps=2)
tile_python_variant(nvfp4_d1_w2 silu_mul_nvfp4 stride_divisibility=1 num_warps=2)

# grouped_gemm_i8: both precisions, activation scales per token-group and
# per token, group 128, int8 weights, bf16 out, 64 x 128 tiles on 4 warps
# (the spec's default: on an H200 native 384 TOP/s and f16_exact 272 TFLOP/s
# against 321 and 211 on 8 warps, bench/RESULTS.md 2026-11-30 16:00); the
# SwiGLU epilogue (64 x 64 on 8 warps).
foreach(precision native f16_exact)
  tile_python_variant(gg_${precision} grouped_gemm_i8 precision=${precision})
  tile_python_variant(gg_${precision}_token grouped_gemm_i8 precision=${precision} act_scales=token)
  tile_python_variant(gg_${precision}_swiglu grouped_gemm_i8 precision=${precision} swiglu=1 block_n=64 num_warps=8)
  # Up to 32 rows an expert (SwiGLU: fewer than 4): each tile within one expert.
  tile_python_variant(gg_${precision}_experts grouped_gemm_i8 precision=${precision} tile_schedule=experts)
  tile_python_variant(gg_${precision}_token_experts grouped_gemm_i8 precision=${precision} act_scales=token tile_schedule=experts)
  tile_python_variant(gg_${precision}_swiglu_experts grouped_gemm_i8 precision=${precision} swiglu=1 block_n=64 num_warps=8 tile_schedule=experts)
endforeach()
