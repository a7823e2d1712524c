// NamingService: a CosNaming naming service hosted in an ORB. It serves
// the root context under the object key "NameService" (so
// corbaloc::HOST:PORT/NameService reaches it from any ORB) and every other
// context under "NamingContext/ID", keeps the state in a NameStore, removes
// leased bindings whose lease ran out, and notifies watchers of changes.
// Each context object implements OrbExt::LeasedNamingContext but
// advertises CosNaming::NamingContextExt in its references, so standard
// clients see a standard naming context.
#pragma once

#include <orb/naming/journal_store.hpp>
#include <orb/naming/store.hpp>
#include <orb/orb.hpp>

#include "OrbExt.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string_view>

namespace orb::naming {

class NamingCore;

struct NamingServiceOptions {
  /// How often leases are checked for expiry; a lapsed binding lives at
  /// most this much longer than its lease.
  std::chrono::milliseconds lease_check_interval{200};
  /// Binding iterators alive at once; creating one more destroys the oldest.
  size_t max_iterators = 1000;
};

class NamingService {
 public:
  /// Object key of the root context.
  static constexpr std::string_view kObjectKey = "NameService";

  /// Serves the contexts of `store` in `orb`, which must listen and must
  /// outlive the service. Raises BAD_PARAM when "NameService" is taken.
  NamingService(Orb& orb, std::shared_ptr<NameStore> store, NamingServiceOptions options = {});
  /// Stops the lease checks and notices and deactivates every context.
  ~NamingService();
  NamingService(const NamingService&) = delete;
  NamingService& operator=(const NamingService&) = delete;

  /// The root context.
  std::shared_ptr<OrbExt::LeasedNamingContext> root() const;

 private:
  std::shared_ptr<NamingCore> core_;
};

/// A naming service whose state is journaled in a directory.
struct PersistentNamingService {
  std::shared_ptr<JournalStore> store;
  StoreRecovery recovery;
  std::unique_ptr<NamingService> service;
};

/// Opens (creating if needed) the journal in `store_options.directory`,
/// replays it and starts a NamingService on it. Raises PERSIST_STORE when
/// the journal cannot be read or is damaged before its last record.
PersistentNamingService open_naming_service(Orb& orb, JournalStoreOptions store_options,
                                            NamingServiceOptions options = {});

}  // namespace orb::naming
