// Server-side masking of personal information (GB/T 35273-2020 §7.2): the
// unmasked value never leaves the server for a client that may not see it.
// Which kind is masked for whom is decided by the caller (role, purpose);
// these functions only implement the display patterns.
//
// Common rules for every function here:
//  * leading/trailing ASCII and full-width spaces are ignored;
//  * empty input gives empty output;
//  * input that is not valid UTF-8 gives kMaskedAll (everything hidden);
//  * input that does not look like the expected kind is masked more, never
//    less (e.g. an unrecognized phone number keeps only its last 2 digits);
//  * nothing throws and nothing is logged.
#pragma once

#include <string>
#include <string_view>

namespace hrss {

// What a value is masked to when nothing of it may be shown.
inline constexpr std::string_view kMaskedAll = "****";

// Person name, counted in code points: keeps the surname, one '*' per
// remaining character. "张三" → "张*", "张三丰" → "张**", compound surnames
// (欧阳, 司马, 诸葛, 上官, ...) keep two: "欧阳娜娜" → "欧阳**". A single
// character → "*".
std::string MaskName(std::string_view utf8);

// Citizen ID (18 or 15 characters): first 4 and last 2 kept,
// "511724199001010018" → "5117************18". Other document numbers of
// 7..14 characters keep the first 1 and last 2; shorter ones are fully
// masked.
std::string MaskIdNumber(std::string_view id);

// Phone number. Mobile (11 digits starting with 1, optional "+86", spaces or
// '-' ignored): "13812345678" → "138****5678". Landline with area code (3
// digits for 010/02x, else 4): keeps the area code and the last 2 digits,
// "0818-6231234" → "0818-*****34". A 7-8 digit local number keeps its last
// 2 digits. Anything else keeps the last 2 characters if it has 6 or more,
// else is fully masked.
std::string MaskPhone(std::string_view phone);

// Bank card (spaces and '-' ignored): first 6 and last 4 digits with one '*'
// per hidden digit, "6222021234567890123" → "622202*********0123". Numbers
// of 8..13 digits keep only the last 4; shorter ones are fully masked.
std::string MaskBankCard(std::string_view card);

// Address: keeps the administrative region through the township-level unit
// (or as far as it can be recognized: province 省/自治区, prefecture 市/州/地区/盟,
// county 县/区/旗/市, township 街道/镇/乡) and replaces the rest with "****":
// "四川省达州市大竹县竹阳街道白塔路12号" → "四川省达州市大竹县竹阳街道****".
// An address with no recognizable region is fully masked.
std::string MaskAddress(std::string_view address);

// Email: first character of the local part, "***", and the domain:
// "zhangsan@example.com" → "z***@example.com"; a one-character local part
// becomes "*". Without a usable '@' the value is fully masked.
std::string MaskEmail(std::string_view email);

enum class PiiKind { kName, kIdNumber, kPhone, kBankCard, kAddress, kEmail };

// Masks `value` with the function for `kind`.
std::string Mask(PiiKind kind, std::string_view value);

}  // namespace hrss
