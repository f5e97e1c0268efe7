package dev.baedal.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Seoul's 25 districts (gu), each by its approximate geographic centre. A delivery offered to
 * riders shows only its area: the district with the nearest centre (near a border it may be the
 * neighbour) and the customer's location rounded to about 500 m; the web UI offers the same list to
 * pick a delivery address from.
 */
public final class Districts {
  /** One district: names and its centre. */
  public record District(String nameKo, String nameEn, double lat, double lng) {}

  public static final List<District> SEOUL =
      List.of(
          new District("종로구", "Jongno-gu", 37.5948, 126.9774),
          new District("중구", "Jung-gu", 37.5598, 126.9959),
          new District("용산구", "Yongsan-gu", 37.5311, 126.9799),
          new District("성동구", "Seongdong-gu", 37.5506, 127.0410),
          new District("광진구", "Gwangjin-gu", 37.5467, 127.0857),
          new District("동대문구", "Dongdaemun-gu", 37.5820, 127.0548),
          new District("중랑구", "Jungnang-gu", 37.5979, 127.0929),
          new District("성북구", "Seongbuk-gu", 37.6057, 127.0175),
          new District("강북구", "Gangbuk-gu", 37.6435, 127.0111),
          new District("도봉구", "Dobong-gu", 37.6691, 127.0324),
          new District("노원구", "Nowon-gu", 37.6526, 127.0750),
          new District("은평구", "Eunpyeong-gu", 37.6191, 126.9270),
          new District("서대문구", "Seodaemun-gu", 37.5778, 126.9391),
          new District("마포구", "Mapo-gu", 37.5593, 126.9084),
          new District("양천구", "Yangcheon-gu", 37.5247, 126.8551),
          new District("강서구", "Gangseo-gu", 37.5612, 126.8228),
          new District("구로구", "Guro-gu", 37.4945, 126.8563),
          new District("금천구", "Geumcheon-gu", 37.4604, 126.9002),
          new District("영등포구", "Yeongdeungpo-gu", 37.5223, 126.9102),
          new District("동작구", "Dongjak-gu", 37.4987, 126.9516),
          new District("관악구", "Gwanak-gu", 37.4672, 126.9454),
          new District("서초구", "Seocho-gu", 37.4733, 127.0311),
          new District("강남구", "Gangnam-gu", 37.4966, 127.0630),
          new District("송파구", "Songpa-gu", 37.5057, 127.1153),
          new District("강동구", "Gangdong-gu", 37.5502, 127.1471));

  /** Degrees the area's location is rounded to: about 550 m north-south, 440 m east-west. */
  private static final double GRID = 0.005;

  private Districts() {}

  /** The district nearest to ({@code lat}, {@code lng}). */
  public static District nearest(double lat, double lng) {
    District best = SEOUL.get(0);
    double bestKm = Double.MAX_VALUE;
    for (District d : SEOUL) {
      double km = Reach.distanceKm(lat, lng, d.lat(), d.lng());
      if (km < bestKm) {
        bestKm = km;
        best = d;
      }
    }
    return best;
  }

  /** {@code {"text","lat","lng"}}: what riders see of an address before they claim it. */
  public static JsonObject area(double lat, double lng) {
    District d = nearest(lat, lng);
    return new JsonObject()
        .put("text", d.nameKo() + " " + d.nameEn())
        .put("lat", round(lat))
        .put("lng", round(lng));
  }

  /** Every district, for a picker: {@code [{"nameKo","nameEn","lat","lng"}]}. */
  public static JsonArray toJson() {
    JsonArray out = new JsonArray();
    SEOUL.forEach(
        d ->
            out.add(
                new JsonObject()
                    .put("nameKo", d.nameKo())
                    .put("nameEn", d.nameEn())
                    .put("lat", d.lat())
                    .put("lng", d.lng())));
    return out;
  }

  private static double round(double degrees) {
    return Math.round(Math.round(degrees / GRID) * GRID * 1e4) / 1e4;
  }
}
