// Making a std::mutex adaptive: a thread that finds it locked spins for a
// short while before it sleeps in the kernel.
#pragma once

#include <mutex>

#include <pthread.h>

namespace orb::detail {

/// Turns `mutex`, which must be unlocked and not yet used, into a glibc
/// adaptive mutex (PTHREAD_MUTEX_ADAPTIVE_NP). A plain mutex puts every
/// thread that finds it locked to sleep, which costs two context switches
/// and a wake-up even when the holder leaves within a few hundred
/// nanoseconds. The adaptive one waits out such a holder instead. The mutex
/// remains a std::mutex, so std::condition_variable works with it.
/// Elsewhere than glibc it does nothing.
inline void make_adaptive(std::mutex& mutex) noexcept {
#if defined(__GLIBC__) && defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP)
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ADAPTIVE_NP);
  pthread_mutex_init(mutex.native_handle(), &attributes);
  pthread_mutexattr_destroy(&attributes);
#else
  (void)mutex;
#endif
}

}  // namespace orb::detail
