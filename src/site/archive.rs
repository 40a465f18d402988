//! The archive by date: every interview grouped by year and month, newest first, with
//! counts, for `/archive/`.

use super::Site;

/// One year of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    /// `2024`.
    pub year: i16,
    /// Interviews that year.
    pub count: usize,
    /// Its months, newest first.
    pub months: Vec<Month>,
}

/// One month of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// 1 to 12.
    pub month: i8,
    /// Indices into `site.pages`, newest first.
    pub pages: Vec<usize>,
}

/// The site's interviews by year and month, in the order of `site.pages` (newest first).
pub fn by_year(site: &Site) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (index, page) in site.pages.iter().enumerate() {
        let Some(date) = page.article.date else {
            continue;
        };
        let (year, month) = (date.local.year(), date.local.month());
        if years.last().is_none_or(|y| y.year != year) {
            years.push(Year {
                year,
                count: 0,
                months: Vec::new(),
            });
        }
        let Some(current) = years.last_mut() else {
            continue;
        };
        current.count += 1;
        match current.months.last_mut() {
            Some(last) if last.month == month => last.pages.push(index),
            _ => current.months.push(Month {
                month,
                pages: vec![index],
            }),
        }
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::site::tests::page_with;

    #[test]
    fn groups_by_year_and_month_with_counts() {
        let site = Site::new(
            SiteConfig::default(),
            vec![
                page_with("a", "2024-03-21", ""),
                page_with("b", "2024-03-02", ""),
                page_with("c", "2024-01-09", ""),
                page_with("d", "2022-12-31", ""),
            ],
            Vec::new(),
        )
        .unwrap();
        let years = by_year(&site);
        assert_eq!(years.len(), 2);
        assert_eq!((years[0].year, years[0].count), (2024, 3));
        assert_eq!(years[0].months[0].month, 3);
        assert_eq!(years[0].months[0].pages, [0, 1]);
        assert_eq!(years[0].months[1].pages, [2]);
        assert_eq!((years[1].year, years[1].count), (2022, 1));
    }
}
