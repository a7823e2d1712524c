// wordcount worker: takes task tuples of one job from the space, counts
// the words of each file and writes a result tuple, until the master
// writes a stop tuple for it.
//   wordcount_worker SPACE_URL JOB
#include "wordcount.hpp"

#include <orb/orb.hpp>
#include <orb/space/client.hpp>

#include <chrono>
#include <iostream>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);
    if (argc != 3) {
      std::cerr << "usage: wordcount_worker SPACE_URL JOB\n";
      return 2;
    }
    orb::space::SpaceClient space(orb, orb.string_to_object(argv[1]));
    int64_t job = std::stoll(argv[2]);
    while (true) {
      using orb::space::any_of;
      auto task = space.take(
          {wordcount::kTask, job, any_of<int64_t>, any_of<std::string>, any_of<orb::space::Bytes>},
          200ms);
      if (!task) {
        // No task for a moment: finished if the master said so, else keep waiting.
        if (space.take_if_exists(orb::space::make_template({wordcount::kStop, job}))) {
          break;
        }
        continue;
      }
      wordcount::Counts counts;
      wordcount::count_words((*task)[4].bytes_value(), counts);
      space.write({wordcount::kResult, job, (*task)[2].long_value(),
                   orb::space::Bytes(wordcount::encode_counts(counts))});
    }
  } catch (const orb::SystemException& error) {
    std::cerr << "wordcount_worker: " << error.what() << "\n";
    return 1;
  }
}
