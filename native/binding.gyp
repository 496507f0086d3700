{
  "targets": [
    {
      "target_name": "ka_net",
      "sources": ["ka_net.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra", "-Wshadow", "-Wpedantic", "-std=gnu11"],
      "cflags!": ["-Wno-unused-parameter"]
    }
  ]
}
