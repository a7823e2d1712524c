// System exceptions: names, repository ids, messages and the lookup by id.
#include <orb/exception.hpp>

#include <gtest/gtest.h>

namespace orb {
namespace {

TEST(SystemException, CarriesMinorAndCompletion) {
  TRANSIENT error(42, CompletionStatus::maybe, "connect 127.0.0.1:1 failed");
  EXPECT_EQ(error.minor(), 42U);
  EXPECT_EQ(error.completed(), CompletionStatus::maybe);
  EXPECT_EQ(error.name(), "TRANSIENT");
  EXPECT_EQ(error.repository_id(), "IDL:omg.org/CORBA/TRANSIENT:1.0");
  EXPECT_STREQ(error.what(), "TRANSIENT (minor 42, COMPLETED_MAYBE): connect 127.0.0.1:1 failed");
}

TEST(SystemException, MadeFromRepositoryId) {
  auto error =
      make_system_exception("IDL:omg.org/CORBA/OBJECT_NOT_EXIST:1.0", 7, CompletionStatus::no);
  EXPECT_NE(dynamic_cast<OBJECT_NOT_EXIST*>(error.get()), nullptr);
  EXPECT_EQ(error->minor(), 7U);
  EXPECT_THROW(error->raise(), OBJECT_NOT_EXIST);
}

TEST(SystemException, UnknownRepositoryIdBecomesUnknown) {
  auto error = make_system_exception("IDL:vendor/NOT_STANDARD:1.0", 3, CompletionStatus::yes);
  EXPECT_EQ(error->name(), "UNKNOWN");
  EXPECT_EQ(error->minor(), 3U);
  EXPECT_EQ(error->completed(), CompletionStatus::yes);
}

TEST(SystemException, CloneKeepsDynamicType) {
  COMM_FAILURE original(1, CompletionStatus::maybe, "peer closed");
  std::unique_ptr<SystemException> copy = original.clone();
  EXPECT_THROW(copy->raise(), COMM_FAILURE);
  EXPECT_EQ(copy->message(), "peer closed");
}

}  // namespace
}  // namespace orb
