# ORB_SANITIZE=address,undefined (or any list the compiler accepts) builds
# everything with those sanitizers; the asan and tsan presets set it.
set(ORB_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list for the whole build")
if(ORB_SANITIZE)
  add_compile_options(-fsanitize=${ORB_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ORB_SANITIZE})
endif()
