// Minor codes of the system exceptions this ORB raises, in one table so no
// throw site carries a literal. OMG-defined codes use the OMG vendor minor
// codeset id; the rest use this project's own id.
#pragma once

#include <cstdint>

namespace orb::minor {

/// OMG's vendor minor codeset id (VMCID) for the codes the specification defines.
inline constexpr uint32_t kOmgBase = 0x4f4d0000;
/// This project's vendor minor codeset id. NOTE: not registered with the OMG.
inline constexpr uint32_t kOrbBase = 0x4f524000;

// MARSHAL
inline constexpr uint32_t kTruncated = kOrbBase | 1;        // fewer bytes than a field needs
inline constexpr uint32_t kLengthTooLarge = kOrbBase | 2;   // a length beyond the bytes left
inline constexpr uint32_t kMissingNul = kOrbBase | 3;       // string without its terminating NUL
inline constexpr uint32_t kInvalidValue = kOrbBase | 4;     // e.g. a boolean that is not 0 or 1
inline constexpr uint32_t kBadMagic = kOrbBase | 5;         // GIOP header without "GIOP"
inline constexpr uint32_t kBadVersion = kOrbBase | 6;       // GIOP version we do not speak
inline constexpr uint32_t kMessageTooLarge = kOrbBase | 7;  // above the configured maximum
inline constexpr uint32_t kBadMessageType = kOrbBase | 8;   // unknown GIOP message type
inline constexpr uint32_t kBadFragment = kOrbBase | 9;      // fragment with no message to continue
inline constexpr uint32_t kWideCharInGiop10 =
    kOrbBase | 10;                                         // wchar/wstring need GIOP 1.1 or later
inline constexpr uint32_t kBadIor = kOrbBase | 11;         // malformed stringified IOR
inline constexpr uint32_t kBoundExceeded = kOrbBase | 12;  // bounded string or sequence too long
inline constexpr uint32_t kBadFlags = kOrbBase | 13;       // GIOP flags bits the version lacks
inline constexpr uint32_t kTooManyFragmentedMessages = kOrbBase | 14;  // reassembly limit reached
inline constexpr uint32_t kBadMessageSize = kOrbBase | 15;  // size field disagrees with the bytes
inline constexpr uint32_t kValueTypeUnsupported =
    kOrbBase | 16;  // a value type, which this ORB lacks

// BAD_PARAM and MARSHAL for TypeCodes
inline constexpr uint32_t kInvalidTypeCode = kOrbBase | 40;  // TypeCode with impossible parameters
inline constexpr uint32_t kTypeCodeTooDeep = kOrbBase | 41;  // nesting beyond the decoder's limit
inline constexpr uint32_t kBadIndirection = kOrbBase | 42;   // indirection to no TypeCode
inline constexpr uint32_t kUnsupportedTypeCode = kOrbBase | 43;  // value types and components

// BAD_PARAM
inline constexpr uint32_t kBadUrl = kOrbBase | 20;        // malformed corbaloc:/corbaname: URL
inline constexpr uint32_t kBadSchemeName = kOmgBase | 7;  // OMG: unknown URL scheme
inline constexpr uint32_t kUnsupportedInVersion = kOrbBase | 24;  // field the GIOP version lacks
inline constexpr uint32_t kWrongMessageType =
    kOrbBase | 25;                                       // header read from another message type
inline constexpr uint32_t kBadAddress = kOmgBase | 8;    // OMG: bad host, port or protocol in a URL
inline constexpr uint32_t kUnencodable = kOrbBase | 21;  // a value its target encoding cannot carry

// ORB configuration and invocation
inline constexpr uint32_t kBadOption = kOrbBase | 50;         // BAD_PARAM: invalid -ORB option
inline constexpr uint32_t kConnectFailed = kOmgBase | 2;      // TRANSIENT: no usable profile
inline constexpr uint32_t kConnectionLost = kOrbBase | 51;    // COMM_FAILURE: peer closed or reset
inline constexpr uint32_t kCallTimedOut = kOrbBase | 52;      // TIMEOUT: reply deadline passed
inline constexpr uint32_t kNoProfile = kOrbBase | 53;         // INV_OBJREF: no IIOP profile
inline constexpr uint32_t kObjectNotFound = kOmgBase | 2;     // OBJECT_NOT_EXIST: unknown key
inline constexpr uint32_t kUnknownOperation = kOrbBase | 54;  // BAD_OPERATION
inline constexpr uint32_t kServantFailed = kOrbBase | 55;     // UNKNOWN: non-CORBA C++ exception
inline constexpr uint32_t kUnlistedUserException =
    kOmgBase | 1;                                              // UNKNOWN: exception not in raises
inline constexpr uint32_t kOrbShutDown = kOmgBase | 4;         // BAD_INV_ORDER: ORB has shut down
inline constexpr uint32_t kBadListenEndpoint = kOrbBase | 56;  // BAD_PARAM: -ORBListen value
inline constexpr uint32_t kForwardLoop = kOrbBase | 57;        // TRANSIENT: too many forwards
inline constexpr uint32_t kServerSetupFailed = kOrbBase | 58;  // NO_RESOURCES: epoll or eventfd

// Shared-memory transport
inline constexpr uint32_t kShmSetupFailed = kOrbBase | 70;  // NO_RESOURCES: memfd or mmap failed
inline constexpr uint32_t kShmBadRing = kOrbBase | 71;      // MARSHAL: peer's ring is invalid
inline constexpr uint32_t kBadBlockNotice = kOrbBase | 72;  // MARSHAL: shared-memory block notice

// PERSIST_STORE
inline constexpr uint32_t kJournalIo = kOrbBase | 60;       // a journal file operation failed
inline constexpr uint32_t kJournalDamaged = kOrbBase | 61;  // a journal file is corrupt

// Naming service
inline constexpr uint32_t kNilReference = kOrbBase | 90;  // BAD_PARAM: nil reference given
inline constexpr uint32_t kBadLeaseTime = kOrbBase | 91;  // BAD_PARAM: lease seconds out of range
inline constexpr uint32_t kRootContext = kOrbBase | 92;   // NO_PERMISSION: destroy the root context
inline constexpr uint32_t kBadCount = kOrbBase | 93;      // BAD_PARAM: next_n with a count of 0
inline constexpr uint32_t kNoNameResolver = kOrbBase | 94;  // NO_IMPLEMENT: corbaname: unresolvable
inline constexpr uint32_t kOtherUnionBranch =
    kOrbBase | 95;  // BAD_PARAM: a union's _d() set to another branch's value

// DATA_CONVERSION
inline constexpr uint32_t kBadUtf16 = kOrbBase | 30;       // unpaired surrogate in UTF-16 data
inline constexpr uint32_t kBadCodePoint = kOrbBase | 31;   // wchar outside Unicode
inline constexpr uint32_t kFixedOverflow = kOrbBase | 32;  // fixed value with too many digits
inline constexpr uint32_t kCharNotInCodeSet =
    kOmgBase | 1;  // OMG: character outside the negotiated transmission code set

// CODESET_INCOMPATIBLE
inline constexpr uint32_t kUnsupportedCodeSet =
    kOrbBase | 33;  // a code set this ORB cannot convert

// Fixed-point text
inline constexpr uint32_t kBadFixedText = kOrbBase | 22;  // BAD_PARAM: not a decimal number

}  // namespace orb::minor
