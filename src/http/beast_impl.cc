// The one translation unit that compiles Asio and Beast
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION are set
// project-wide), so other files include only declarations and build fast.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
