{
  "target_defaults": {
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-fno-trapping-math", "-fexceptions", "-fPIC", "-Wall", "-Wno-unused-function"],
    "cflags!": ["-fno-exceptions"],
    "defines": ["NDEBUG", "NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "<!@(node scripts/gyp-info.js eigen-defines)"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "<!@(node scripts/gyp-info.js eigen-include)"],
    "xcode_settings": { "GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17", "OTHER_CPLUSPLUSFLAGS": ["-O3"] }
  },
  "targets": [
    {
      "target_name": "mmgraph_gemm_avx2",
      "type": "static_library",
      "sources": ["native/core/gemm_eigen_avx2.cc"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-mavx2", "-mfma"] }]]
    },
    {
      "target_name": "mmgraph_gemm_avx512",
      "type": "static_library",
      "sources": ["native/core/gemm_eigen_avx512.cc"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-mavx512f", "-mavx512dq", "-mavx512vl", "-mavx512bw", "-mavx2", "-mfma", "-Wno-maybe-uninitialized", "-Wno-unused-variable"] }]]
    },
    {
      "target_name": "mmgraph",
      "dependencies": ["mmgraph_gemm_avx2", "mmgraph_gemm_avx512"],
      "sources": ["<!@(node scripts/gyp-info.js sources native/core native/ops native/napi native/emu)"],
      "libraries": ["-ldl"]
    }
  ]
}
