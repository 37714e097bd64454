#include "archive_client.h"

namespace medvae::pacs {

const char* levelName(QueryLevel level) {
    switch (level) {
        case QueryLevel::Study:
            return "study";
        case QueryLevel::Series:
            return "series";
        case QueryLevel::Instance:
            return "instance";
    }
    return "study";
}

}  // namespace medvae::pacs
