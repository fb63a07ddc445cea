//! Where a session signed in from: city and country from an offline
//! MaxMind-format GeoIP database when the operator configures one
//! (`GEOIP_DATABASE`), else nothing, and pages show the IP.

use std::{net::IpAddr, path::Path};

use anyhow::Context as _;
use maxminddb::{geoip2, Reader};

#[derive(Default)]
pub struct GeoIp(Option<Reader<Vec<u8>>>);

impl GeoIp {
    pub fn none() -> Self {
        Self(None)
    }

    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let reader = Reader::open_readfile(path)
            .with_context(|| format!("opening the GeoIP database {}", path.display()))?;
        Ok(Self(Some(reader)))
    }

    /// "City, Country", "Country", or `None` when unknown.
    pub fn locate(&self, ip: &str) -> Option<String> {
        let reader = self.0.as_ref()?;
        let ip: IpAddr = ip.parse().ok()?;
        let result = reader.lookup(ip).ok()?;
        let city = result.decode::<geoip2::City>().ok()??;
        let country = city.country.names.english;
        match (city.city.names.english, country) {
            (Some(city), Some(country)) => Some(format!("{city}, {country}")),
            (None, Some(country)) => Some(country.to_owned()),
            (Some(city), None) => Some(city.to_owned()),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/tests/fixtures/geoip-test.mmdb"
    );

    #[test]
    fn names_city_and_country_from_the_database() {
        let geoip = GeoIp::open(Path::new(FIXTURE)).unwrap();
        assert_eq!(
            geoip.locate("127.0.0.1").as_deref(),
            Some("Testville, Testland")
        );
        assert_eq!(geoip.locate("192.0.2.1"), None);
        assert_eq!(geoip.locate("not an ip"), None);
    }

    #[test]
    fn without_a_database_nothing_is_located() {
        assert_eq!(GeoIp::none().locate("127.0.0.1"), None);
    }
}
