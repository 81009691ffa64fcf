import java.text.*;
import java.util.*;
public class Dates { public static void main(String[] a) throws Exception {
  Random rnd = new Random(42);
  String[] fpats = {"G yyyy-MM-dd HH:mm:ss.SSS E D w W F u k K h a", "YYYY-'W'ww-u yyyy-MM-dd", "yy MMM MMMM d EEEE L LLL", "yyyyy.MMMMM.dd GGG hh:mm aaa z Z X"};
  List<Long> ms = new ArrayList<>();
  for (int i = 0; i < 150; i++) ms.add((long)(rnd.nextDouble() * 3.0e14) - 100000000000000L);
  for (int y = 1995; y <= 2030; y++) for (int d = -3; d <= 3; d++) { GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC")); c.clear(); c.set(y, 0, 1); ms.add(c.getTimeInMillis() + d * 86400000L + 3600000L * d); }
  ms.add(0L); ms.add(-1L); ms.add(-12219292800000L); ms.add(-12219292800001L);
  for (String p : fpats) { SimpleDateFormat f = new SimpleDateFormat(p); f.setTimeZone(TimeZone.getTimeZone("UTC"));
    for (long m : ms) System.out.println("F\t" + p + "\t" + m + "\t" + f.format(new Date(m))); }
  String[][] parses = {
    {"yyyy-MM-dd HH:mm:ss", "2024-02-30 25:61:61"}, {"yyyy-MM-dd", "2023-00-00"}, {"yyyy-MM-dd", "99999-1-1"},
    {"yyyy-MM-dd", "-5-03-04"}, {"yyyy ww", "2024 53"}, {"yyyy ww", "2024 1"}, {"yyyy ww EEE", "2021 1 Sat"},
    {"YYYY ww u", "2021 1 6"}, {"yyyy MM W", "2024 03 1"}, {"yyyy MM F", "2024 03 -1"}, {"yyyy MM F EEE", "2024 03 -1 Mon"},
    {"yyyy MM EEE dd", "2024 03 Mon 15"}, {"yyyy MM dd EEE", "2024 03 15 Mon"}, {"dd MMM yyyy", "1 sep 2020"},
    {"dd MMM yyyy", "1 September 2020"}, {"dd MMMM yyyy", "1 Sep 2020"}, {"EEE dd", "Fri 13"}, {"hh a", "12 AM"}, {"hh a", "12 PM"},
    {"KK a", "11 PM"}, {"kk", "0"}, {"HH:mm:ss.SSS", "1:2:3.4"}, {"HH:mm:ss.SSS", "1:2:3.4567"}, {"ss", "-5"}, {"yyyyMMdd", "20240230"},
    {"yyMMdd", "240230"}, {"MMddyy", "022924"}, {"yyyy-MM-dd'T'HH:mm:ssXXX", "2024-01-01T00:00:00+14:00"},
    {"yyyy-MM-dd'T'HH:mm:ssXX", "2024-01-01T00:00:00-0130"}, {"yyyy-MM-dd'T'HH:mm:ssX", "2024-01-01T00:00:00Z"},
    {"yyyy-MM-dd HH:mm z", "2024-01-01 00:00 UTC"}, {"yyyy-MM-dd HH:mm z", "2024-01-01 00:00 GMT-5"}, {"yyyy-MM-dd HH:mm Z", "2024-01-01 00:00 -0800"},
    {"yyyy-MM-dd HH:mm Z", "2024-01-01 00:00 GMT+01:00"}, {"yyyy D HH", "2024 400 30"}, {"G yyyy", "BC 1"}, {"G yyyy MM dd", "bc 44 03 15"},
    {"yyyy", " 2024"}, {"yyyy", "  2024"}, {"yyyy-MM", "2024- 3"}, {"yyyy-MM", "2024 -3"}, {"yy", "5"}, {"yy", "-5"}, {"y", "05"}, {"yyyyy", "05"},
    {"MM/dd/yyyy", "13/45/2024"}, {"u", "9"}, {"yyyy w u", "2024 10 7"}, {"yyyy F", "2024 2"}, {"yyyy W", "2024 3"}, {"yyyy MM", "2024 14"},
    {"HH:mm", "12:60"}, {"mm", "1000000000000"}, {"yyyy-MM-dd", "2024-1x-01"},
  };
  for (String[] pt : parses) { SimpleDateFormat f = new SimpleDateFormat(pt[0]); f.setTimeZone(TimeZone.getTimeZone("UTC"));
    String out; try { out = String.valueOf(f.parse(pt[1]).getTime()); } catch (ParseException e) { out = "error"; }
    System.out.println("P\t" + pt[0] + "\t" + pt[1] + "\t" + out); }
}}
