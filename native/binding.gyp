{
  "targets": [
    {
      "target_name": "falcoc_native",
      "sources": ["src/driver.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "build-bpf"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall"],
      "libraries": ["-lbpf", "-lelf", "-lz"]
    }
  ]
}
