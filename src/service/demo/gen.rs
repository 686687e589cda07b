//! Deterministic generator of a synthetic city (南京市) for the demo data and for
//! benchmarks: organisations and party-affairs workers with their personnel files,
//! emitted as plain [`Table`]s in the import formats, so the output goes through the
//! normal importer.
//!
//! Everything is invented. ID numbers and credit codes carry correct check characters
//! but belong to no one.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::table::Table;

/// Header of the organisations table.
pub const ORGANISATION_HEADERS: [&str; 7] = [
    "code", "name", "kind", "county", "township", "address", "industry",
];
/// Header of the persons table.
pub const PERSON_HEADERS: [&str; 15] = [
    "id_number",
    "name",
    "sex",
    "org_code",
    "category",
    "position",
    "post_start",
    "current_grade",
    "grade_since",
    "phone",
    "ethnicity",
    "education",
    "party_join_date",
    "address",
    "title",
];
/// Header of the education table.
pub const EDUCATION_HEADERS: [&str; 6] = ["id_number", "start", "end", "school", "major", "degree"];
/// Header of the work-history table.
pub const WORK_HISTORY_HEADERS: [&str; 5] =
    ["id_number", "start", "end", "organisation", "position"];
/// Header of the training table.
pub const TRAINING_HEADERS: [&str; 5] = ["id_number", "date", "days", "title", "organiser"];
/// Header of the annual-assessment table.
pub const ASSESSMENT_HEADERS: [&str; 4] = ["id_number", "year", "grade", "remark"];
/// Header of the pay table.
pub const PAY_HEADERS: [&str; 4] = ["id_number", "year", "item", "amount"];
/// Header of the rewards-and-penalties table.
pub const REWARD_HEADERS: [&str; 5] = ["id_number", "date", "kind", "title", "issuer"];

/// The generated city: one table per import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City {
    pub organisations: Table,
    pub persons: Table,
    pub education: Table,
    pub work_history: Table,
    pub training: Table,
    pub assessments: Table,
    pub pay: Table,
    pub rewards: Table,
}

/// Number of organisations generated for `persons` persons: `ceil(persons * 4 / 15)`,
/// at least 3 (150 persons -> 40).
pub fn organisation_count(persons: usize) -> usize {
    persons.saturating_mul(4).div_ceil(15).max(3)
}

/// GB 11643 check character (the validator's own), `'?'` for malformed input.
fn id_check_char(first17: &str) -> char {
    crate::domain::ids::id_check_char(first17).unwrap_or('?')
}

/// GB 32100 check character (the validator's own), `'?'` for malformed input.
fn credit_code_check_char(first17: &str) -> char {
    crate::domain::ids::credit_check_char(first17).unwrap_or('?')
}

/// GB 11714 check character of an organisation code from its first 8 characters
/// (digits and upper-case letters). Returns `'?'` on other input.
fn org_code_check_char(first8: &[u8]) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    if first8.len() != 8 {
        return '?';
    }
    let mut sum = 0u32;
    for (&b, w) in first8.iter().zip(WEIGHTS) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return '?',
        };
        sum += v * w;
    }
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from(b'0' + c as u8),
    }
}

// ---------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------

struct District {
    name: &'static str,
    code: &'static str,
    streets: &'static [&'static str],
}

const DISTRICTS: [District; 11] = [
    District {
        name: "玄武区",
        code: "320102",
        streets: &["新街口街道", "梅园新村街道", "玄武门街道", "锁金村街道"],
    },
    District {
        name: "秦淮区",
        code: "320104",
        streets: &["夫子庙街道", "中华门街道", "瑞金路街道", "月牙湖街道"],
    },
    District {
        name: "建邺区",
        code: "320105",
        streets: &["南苑街道", "兴隆街道", "沙洲街道", "莫愁湖街道"],
    },
    District {
        name: "鼓楼区",
        code: "320106",
        streets: &["宁海路街道", "湖南路街道", "中央门街道", "江东街道"],
    },
    District {
        name: "浦口区",
        code: "320111",
        streets: &["江浦街道", "泰山街道", "顶山街道"],
    },
    District {
        name: "栖霞区",
        code: "320113",
        streets: &["尧化街道", "迈皋桥街道", "仙林街道", "马群街道"],
    },
    District {
        name: "雨花台区",
        code: "320114",
        streets: &["雨花街道", "赛虹桥街道", "铁心桥街道", "西善桥街道"],
    },
    District {
        name: "江宁区",
        code: "320115",
        streets: &["东山街道", "秣陵街道", "淳化街道", "江宁街道"],
    },
    District {
        name: "六合区",
        code: "320116",
        streets: &["雄州街道", "龙池街道", "葛塘街道"],
    },
    District {
        name: "溧水区",
        code: "320117",
        streets: &["永阳街道", "洪蓝街道", "石湫街道"],
    },
    District {
        name: "高淳区",
        code: "320118",
        streets: &["淳溪街道", "古柏街道", "漆桥街道"],
    },
];

const ROADS: &[&str] = &[
    "中山路",
    "汉中路",
    "珠江路",
    "龙蟠路",
    "湖南路",
    "北京东路",
    "北京西路",
    "广州路",
    "虎踞路",
    "集庆路",
    "江东中路",
    "建宁路",
    "长江路",
    "太平南路",
    "瑞金路",
    "宁海路",
    "云南路",
    "上海路",
    "汉口路",
    "草场门路",
    "文化路",
    "科技路",
    "创新路",
    "学府路",
    "丰收路",
    "园区路",
    "工业路",
    "青年路",
    "民主路",
    "和平路",
    "人民路",
    "天元路",
    "双龙路",
    "胜利路",
    "金陵路",
    "梅花路",
    "桃园路",
    "青松路",
    "文昌路",
    "新华路",
];

/// Invented two-character brand syllable pairs for enterprise names.
const BRANDS: &[&str] = &[
    "华宇", "金陵", "恒信", "瑞丰", "紫峰", "钟山", "石城", "宁海", "天元", "中联", "汇通", "鼎盛",
    "润和", "博远", "锦程", "宏达", "嘉禾", "海纳", "云帆", "启明", "同创", "远航", "凯瑞", "联创",
    "正和", "益民", "安泰", "盛世", "弘业", "明远", "信达", "永新", "佳源", "和信", "晨光", "普华",
    "德润", "星辰", "泰和", "融汇", "万通", "新程", "卓越", "智达", "恒远", "诚泰", "众合", "昌盛",
    "祥瑞", "聚源", "金石", "天润", "华信", "旭日", "蓝海", "青松", "翠微", "天成", "东升", "鸿运",
    "瑞祥", "腾飞", "万嘉", "春华", "秋实", "博雅", "致远", "合众", "宏图", "锦华", "银河", "金桥",
    "华通", "长风", "清源", "鼎新", "宁泰", "汉唐", "三元", "明德", "景行", "观澜", "玄润", "凤凰",
    "江南", "龙腾", "恒通", "睿达", "亿联", "天合", "瀚海", "思源", "九章", "方圆", "新宁", "德信",
];

/// Extra characters that make a three-character brand from a pair.
const BRAND_TAILS: &[&str] = &[
    "达", "通", "源", "泰", "盛", "创", "联", "鑫", "科", "恒", "瑞", "丰", "安", "华", "信", "和",
    "德", "诚", "隆", "兴", "茂", "荣", "嘉", "昊", "宸", "睿", "航", "坤", "晟", "辰",
];

struct Industry {
    word: &'static str,
    sector: &'static str,
    weight: u32,
    /// Whether `科技有限公司` reads naturally after the word.
    tech: bool,
}

const INDUSTRIES: &[Industry] = &[
    Industry {
        word: "软件",
        sector: "软件和信息技术服务业",
        weight: 10,
        tech: true,
    },
    Industry {
        word: "信息技术",
        sector: "软件和信息技术服务业",
        weight: 8,
        tech: false,
    },
    Industry {
        word: "物流",
        sector: "交通运输和仓储业",
        weight: 8,
        tech: true,
    },
    Industry {
        word: "建设工程",
        sector: "建筑业",
        weight: 8,
        tech: false,
    },
    Industry {
        word: "餐饮管理",
        sector: "餐饮业",
        weight: 7,
        tech: false,
    },
    Industry {
        word: "生物医药",
        sector: "医药制造业",
        weight: 5,
        tech: true,
    },
    Industry {
        word: "电子商务",
        sector: "批发和零售业",
        weight: 8,
        tech: false,
    },
    Industry {
        word: "智能制造",
        sector: "制造业",
        weight: 8,
        tech: true,
    },
    Industry {
        word: "物业管理",
        sector: "房地产业",
        weight: 7,
        tech: false,
    },
    Industry {
        word: "银行",
        sector: "金融业",
        weight: 2,
        tech: false,
    },
    Industry {
        word: "汽车服务",
        sector: "汽车服务业",
        weight: 5,
        tech: false,
    },
    Industry {
        word: "文化传媒",
        sector: "文化传媒业",
        weight: 6,
        tech: false,
    },
    Industry {
        word: "人力资源服务",
        sector: "商务服务业",
        weight: 4,
        tech: false,
    },
    Industry {
        word: "环保科技",
        sector: "生态环境治理业",
        weight: 4,
        tech: false,
    },
    Industry {
        word: "新能源科技",
        sector: "能源业",
        weight: 4,
        tech: false,
    },
    Industry {
        word: "检测技术",
        sector: "科学研究和技术服务业",
        weight: 3,
        tech: false,
    },
];

const ASSOCIATION_FIELDS: &[&str] = &[
    "软件",
    "物流",
    "餐饮",
    "建筑",
    "电子商务",
    "物业管理",
    "广告",
    "家政服务",
    "旅游",
    "汽车维修",
    "人力资源服务",
    "互联网",
    "食品",
    "医药",
    "文化创意",
    "环保产业",
];
const OTHER_ASSOCIATIONS: &[&str] = &[
    "个体劳动者协会",
    "私营企业协会",
    "志愿者协会",
    "摄影家协会",
    "书法家协会",
    "老年人体育协会",
    "社会工作者协会",
    "青年企业家协会",
];
const CHAMBER_PLACES: &[&str] = &[
    "湖南",
    "浙江",
    "福建",
    "安徽",
    "河南",
    "湖北",
    "江西",
    "山东",
    "四川",
    "广东",
    "温州",
    "泉州",
    "潮汕",
    "盐城",
    "徐州",
    "扬州",
    "台州",
    "宁波",
    "重庆",
    "陕西",
    "山西",
    "河北",
    "莆田",
    "晋江",
    "义乌",
    "南通",
    "连云港",
    "宿迁",
    "淮安",
    "泰州",
];
const PROMOTIONS: &[&str] = &[
    "科技创新",
    "民营经济发展",
    "文化产业",
    "社会组织发展",
    "慈善事业",
    "中小企业发展",
    "乡村振兴",
    "养老服务业",
    "数字经济",
    "志愿服务",
];
const SOCIAL_WORK_WORDS: &[&str] = &[
    "阳光", "爱心", "同心", "春晖", "暖阳", "心语", "彩虹", "晨曦", "益家", "乐邻", "和睦", "善邻",
    "携手", "馨家", "恒爱", "仁德", "福源", "安康", "启航", "朝阳", "青禾", "微光", "众益", "惠民",
    "邻里", "康宁", "知行", "同行", "欣悦", "友善",
];
const ELDERLY_WORDS: &[&str] = &[
    "康乐",
    "颐和",
    "福寿",
    "松鹤",
    "夕阳红",
    "颐养",
    "乐龄",
    "长青",
    "寿康",
    "康馨",
    "椿萱",
    "晚晴",
    "福康",
    "怡年",
    "安颐",
    "常青",
    "百福",
    "乐康",
    "金秋",
    "福佑",
];
const SCHOOL_WORDS: &[&str] = &[
    "育才", "育英", "启智", "博文", "明德", "致远", "求真", "树人", "弘文", "崇文", "立人", "励志",
    "新知", "行知", "格致", "敏学", "笃行", "尚贤", "文华", "启明",
];

/// Surnames with rough relative frequencies, as `name weight` pairs.
const SURNAMES: &str = include_str!("gen/surnames.txt");

/// Surnames given to the first persons, so that small cities contain them too:
/// polyphonic single surnames, then compound surnames.
const SPECIAL_SURNAMES: &[&str] = &[
    "单", "曾", "区", "解", "仇", "查", "朴", "覃", "欧阳", "司马", "诸葛", "尉迟", "上官",
];

const MALE_GIVEN: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳", "建", "亮",
    "成", "峰", "国", "文", "东", "海", "鸣", "志", "振", "彬", "晨", "博", "毅", "立", "坤", "翔",
    "昊", "然", "哲", "睿", "轩", "泽", "航", "程", "锋", "晖", "岩", "松", "柏", "诚", "峥", "铭",
    "新", "剑", "兵", "洋", "锐", "庆", "德", "良", "春", "宏", "荣", "贵", "福", "生", "祥", "才",
    "胜", "中", "山", "仁", "义", "忠", "江", "天", "永", "瑞",
];

const FEMALE_GIVEN: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "慧", "玲", "琳", "洁", "颖", "倩",
    "萍", "燕", "红", "梅", "莉", "蕾", "薇", "晶", "欣", "怡", "佳", "悦", "璐", "瑶", "琪", "婧",
    "媛", "雯", "妍", "楠", "露", "月", "萌", "晴", "菲", "蓉", "茜", "岚", "琴", "云", "凤", "兰",
    "英", "秀", "珍", "玉", "娇", "翠", "青", "丹", "彤", "曼", "凡", "雅", "诗", "梦", "雨", "思",
    "涵", "馨", "蕊", "晗", "桐", "嘉", "秋", "冬", "菊", "莹", "宛", "若", "可", "心", "淑", "惠",
    "素", "锦", "虹", "艺", "荷", "莎", "姗", "蓓", "瑾", "苗",
];

/// Given-name characters used for either sex, several of them polyphonic.
const NEUTRAL_GIVEN: &[&str] = &[
    "乐", "长", "重", "朝", "行", "晓", "子", "一", "家", "安", "小", "如", "少", "正", "和",
];

/// Area codes of ID numbers with rough weights, as `code weight` pairs.
const ID_AREAS: &str = include_str!("gen/id_areas.txt");

const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "170", "176", "177", "178", "180", "181",
    "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199",
];

const ETHNICITIES: &[(&str, u32)] = &[
    ("汉族", 950),
    ("回族", 22),
    ("满族", 10),
    ("壮族", 9),
    ("蒙古族", 9),
];

const TITLES: &[(&str, u32)] = &[
    ("政工师", 30),
    ("高级政工师", 10),
    ("助理社会工作师", 25),
    ("社会工作师", 25),
    ("高级社会工作师", 10),
];

const HIGH_SCHOOLS: &[&str] = &[
    "南京市第一中学",
    "南京市金陵中学",
    "南京师范大学附属中学",
    "南京市第十三中学",
    "南京市中华中学",
    "江苏省溧水高级中学",
    "江苏省高淳高级中学",
    "徐州市第一中学",
    "江苏省盐城中学",
    "江苏省扬州中学",
    "江苏省南通中学",
    "江苏省苏州中学",
    "江苏省淮阴中学",
    "江苏省泰州中学",
];
const COLLEGES: &[&str] = &[
    "南京交通职业技术学院",
    "南京工业职业技术大学",
    "江苏经贸职业技术学院",
    "南京城市职业学院",
    "南京信息职业技术学院",
    "南京铁道职业技术学院",
    "江苏海事职业技术学院",
    "南京科技职业学院",
];
const UNIVERSITIES: &[&str] = &[
    "南京大学",
    "东南大学",
    "南京师范大学",
    "河海大学",
    "南京财经大学",
    "南京农业大学",
    "南京理工大学",
    "南京航空航天大学",
    "南京邮电大学",
    "南京工业大学",
    "南京审计大学",
    "南京林业大学",
    "南京信息工程大学",
    "苏州大学",
    "扬州大学",
    "江苏大学",
];
/// Where a college graduate completes a bachelor's degree part-time (专升本).
const TOP_UP_UNIVERSITIES: &[&str] = &["江苏开放大学", "南京师范大学", "南京财经大学", "河海大学"];
const GRADUATE_SCHOOLS: &[&str] = &[
    "南京大学",
    "东南大学",
    "南京师范大学",
    "河海大学",
    "南京财经大学",
    "南京理工大学",
    "南京农业大学",
    "苏州大学",
    "中共江苏省委党校",
    "南京航空航天大学",
];
const COLLEGE_MAJORS: &[&str] = &[
    "文秘",
    "会计",
    "计算机应用技术",
    "物流管理",
    "市场营销",
    "行政管理",
    "电子商务",
    "法律事务",
];
const BACHELOR_MAJORS: &[&str] = &[
    "汉语言文学",
    "行政管理",
    "计算机科学与技术",
    "思想政治教育",
    "会计学",
    "法学",
    "工商管理",
    "社会工作",
    "公共事业管理",
    "人力资源管理",
    "新闻学",
    "经济学",
    "国际经济与贸易",
    "市场营销",
    "英语",
    "历史学",
    "哲学",
    "土木工程",
    "电子信息工程",
];
const MASTER_MAJORS: &[&str] = &[
    "马克思主义理论",
    "公共管理",
    "行政管理",
    "社会工作",
    "法学",
    "工商管理",
    "思想政治教育",
    "中共党史",
];

const EARLIER_POSITIONS: &[&str] = &[
    "职员",
    "行政专员",
    "人事专员",
    "办公室主任",
    "综合管理部经理",
    "项目主管",
    "文员",
    "客户经理",
    "办公室副主任",
];
const GOV_UNITS: &[&str] = &[
    "委组织部",
    "人力资源和社会保障局",
    "市场监督管理局",
    "民政局",
];
const GOV_POSITIONS: &[&str] = &["科员", "副主任科员", "四级主任科员", "办公室副主任"];

const TRAINING_TITLES: &[&str] = &[
    "全市“两新”组织党组织书记示范培训班",
    "党务工作者能力提升培训",
    "新时代党建业务专题培训",
    "“两新”组织党建工作实务培训",
    "基层党组织书记轮训班",
    "发展党员工作规范化培训",
    "党建工作指导员业务培训",
    "社会组织党建工作培训班",
    "党的创新理论专题学习班",
];

const ASSESSMENT_GRADES: &[(&str, u32)] =
    &[("优秀", 25), ("称职", 65), ("基本称职", 8), ("不称职", 2)];
const REMARKS: [&[&str]; 4] = [
    &["年度考核优秀", "工作成效突出", "党建工作成绩显著"],
    &["履职尽责，表现良好", "完成年度工作任务", "工作认真负责"],
    &["基本完成年度任务", "工作有待加强"],
    &["未履行岗位职责", "年度考核不称职"],
];

const GRADES: [&str; 4] = ["初级", "中级", "高级", "特级"];
/// Years in post a grade is given after at the earliest (matches the demo rules).
const GRADE_TENURE: [u32; 4] = [1, 3, 5, 8];
const ALLOWANCE: [u32; 4] = [2400, 3600, 4800, 6000];

const SECRETARY_POSITIONS: &[(&str, u32)] = &[
    ("党支部书记", 60),
    ("党委书记", 15),
    ("党总支书记", 15),
    ("党委专职副书记", 10),
];
const STAFF_POSITIONS: &[(&str, u32)] =
    &[("专职党务工作者", 50), ("党务专员", 30), ("党建主管", 20)];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Category {
    Secretary,
    Staff,
    Instructor,
}

impl Category {
    fn label(self) -> &'static str {
        match self {
            Category::Secretary => "党组织书记",
            Category::Staff => "专职党务工作人员",
            Category::Instructor => "党建工作指导员",
        }
    }
}

#[derive(Clone, Copy)]
enum Education {
    HighSchool,
    College,
    Bachelor,
    Master,
}

impl Education {
    fn label(self) -> &'static str {
        match self {
            Education::HighSchool => "高中",
            Education::College => "大学专科",
            Education::Bachelor => "大学本科",
            Education::Master => "硕士研究生",
        }
    }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// Cumulative weights for repeated weighted draws from one list.
struct Picker<T: Copy> {
    items: Vec<T>,
    cumulative: Vec<u32>,
}

impl<T: Copy> Picker<T> {
    /// Reads whitespace-separated `item weight` pairs; lines starting with `#` are
    /// comments.
    fn parse(text: &'static str, item: impl Fn(&'static str) -> T) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        let mut tokens = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace);
        while let (Some(name), Some(weight)) = (tokens.next(), tokens.next()) {
            total += weight.parse::<u32>().expect("numeric weight");
            items.push(item(name));
            cumulative.push(total);
        }
        assert!(total > 0, "weighted list is empty");
        Picker { items, cumulative }
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> T {
        let total = self.cumulative[self.cumulative.len() - 1];
        let r = rng.random_range(0..total);
        self.items[self.cumulative.partition_point(|&c| c <= r)]
    }
}

/// One weighted draw from a short list.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|&(_, w)| w).sum();
    let mut r = rng.random_range(0..total);
    for &(item, w) in items {
        if r < w {
            return item;
        }
        r -= w;
    }
    items[items.len() - 1].0
}

/// A uniform index below `n` (drawn as `u32` so the stream does not depend on the
/// platform's pointer width).
fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    rng.random_range(0..n as u32) as usize
}

fn choose<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[index(rng, items.len())]
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

/// `d` moved by `n` years (29 February becomes 28 February).
fn add_years(d: NaiveDate, n: i32) -> NaiveDate {
    let months = Months::new(n.unsigned_abs() * 12);
    let moved = if n >= 0 {
        d.checked_add_months(months)
    } else {
        d.checked_sub_months(months)
    };
    moved.expect("date in range")
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    let days = Days::new(n.unsigned_abs());
    let moved = if n >= 0 {
        d.checked_add_days(days)
    } else {
        d.checked_sub_days(days)
    };
    moved.expect("date in range")
}

/// A uniform date in `lo..=hi` (`lo` when the range is empty).
fn rand_date(rng: &mut ChaCha8Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let span = (hi - lo).num_days();
    if span <= 0 {
        return lo;
    }
    add_days(lo, i64::from(rng.random_range(0..=span as u32)))
}

/// Appends `n` as decimal, zero-padded to `width` digits.
fn push_num(s: &mut String, n: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    for &b in &buf[start..] {
        s.push(char::from(b));
    }
}

fn fmt_date(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    push_num(&mut s, d.year().max(0) as u32, 4);
    s.push('-');
    push_num(&mut s, d.month(), 2);
    s.push('-');
    push_num(&mut s, d.day(), 2);
    s
}

/// Training days in half days, written without a trailing `.0`.
fn fmt_half_days(half_days: u32) -> String {
    let mut s = String::with_capacity(4);
    push_num(&mut s, half_days / 2, 1);
    if half_days % 2 == 1 {
        s.push_str(".5");
    }
    s
}

fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

// ---------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------

struct Org {
    code: String,
    name: String,
    district: usize,
}

#[derive(Clone, Copy)]
enum SocialKind {
    Association,
    Chamber,
    Promotion,
    SocialWork,
    Elderly,
    School,
}

const SOCIAL_KINDS: &[(SocialKind, u32)] = &[
    (SocialKind::Association, 30),
    (SocialKind::Chamber, 15),
    (SocialKind::Promotion, 10),
    (SocialKind::SocialWork, 20),
    (SocialKind::Elderly, 15),
    (SocialKind::School, 10),
];

impl SocialKind {
    /// Registration-type prefix of the credit code: 51 社会团体, 52 民办非企业单位.
    fn code_prefix(self) -> &'static str {
        match self {
            SocialKind::Association | SocialKind::Chamber | SocialKind::Promotion => "51",
            _ => "52",
        }
    }

    fn sector(self) -> &'static str {
        match self {
            SocialKind::Association => "行业协会",
            SocialKind::Chamber => "商会",
            SocialKind::Promotion => "社会服务",
            SocialKind::SocialWork => "社会工作",
            SocialKind::Elderly => "养老服务",
            SocialKind::School => "教育",
        }
    }
}

/// A brand of two characters, three when `attempt` shows the short ones are taken (or
/// by chance), four as a last resort.
fn brand(rng: &mut ChaCha8Rng, attempt: u32, out: &mut String) {
    out.push_str(choose(rng, BRANDS));
    if attempt >= 3 || rng.random_bool(0.12) {
        out.push_str(choose(rng, BRAND_TAILS));
    }
    if attempt >= 20 {
        out.push_str(choose(rng, BRAND_TAILS));
    }
}

fn enterprise_name(
    rng: &mut ChaCha8Rng,
    industry: &Industry,
    attempt: u32,
    forced_suffix: Option<&str>,
) -> String {
    let mut name = String::with_capacity(48);
    name.push_str("南京");
    brand(rng, attempt, &mut name);
    if industry.word == "银行" {
        name.push_str(if rng.random_bool(0.6) {
            "村镇银行股份有限公司"
        } else {
            "农村商业银行股份有限公司"
        });
        return name;
    }
    name.push_str(industry.word);
    let suffix = forced_suffix.unwrap_or_else(|| {
        let r: f64 = rng.random();
        if r < 0.7 {
            "有限公司"
        } else if r < 0.85 || !industry.tech {
            "股份有限公司"
        } else {
            "科技有限公司"
        }
    });
    name.push_str(suffix);
    name
}

fn social_name(rng: &mut ChaCha8Rng, kind: SocialKind, district: usize, attempt: u32) -> String {
    let prefix = if rng.random_bool(0.4) {
        "南京市"
    } else {
        DISTRICTS[district].name
    };
    let mut name = String::with_capacity(48);
    name.push_str(prefix);
    // Once the natural names are taken, centres and schools get a brand-like word.
    let word = |rng: &mut ChaCha8Rng, list: &[&str], name: &mut String| {
        if attempt >= 6 {
            brand(rng, attempt, name);
        } else {
            name.push_str(choose(rng, list));
        }
    };
    match kind {
        SocialKind::Association => {
            if rng.random_bool(0.65) {
                name.push_str(choose(rng, ASSOCIATION_FIELDS));
                name.push_str("行业协会");
            } else {
                name.push_str(choose(rng, OTHER_ASSOCIATIONS));
            }
        }
        SocialKind::Chamber => {
            name.push_str(choose(rng, CHAMBER_PLACES));
            name.push_str("商会");
        }
        SocialKind::Promotion => {
            name.push_str(choose(rng, PROMOTIONS));
            name.push_str("促进会");
        }
        SocialKind::SocialWork => {
            word(rng, SOCIAL_WORK_WORDS, &mut name);
            name.push_str("社会工作服务中心");
        }
        SocialKind::Elderly => {
            word(rng, ELDERLY_WORDS, &mut name);
            name.push_str("养老服务中心");
        }
        SocialKind::School => {
            word(rng, SCHOOL_WORDS, &mut name);
            name.push_str(if rng.random_bool(0.7) {
                "民办学校"
            } else {
                "培训学校"
            });
        }
    }
    name
}

/// A 9-character organisation code (GB 11714) with its check character; the first 8
/// characters are mostly digits and use only letters valid in a credit code.
fn org_code(rng: &mut ChaCha8Rng, social: bool, out: &mut String) {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRTUWXY";
    let mut c = [b'0'; 8];
    let digit = |rng: &mut ChaCha8Rng| b'0' + rng.random_range(0..10u8);
    if social {
        if rng.random_bool(0.45) {
            c[0] = b'M';
            c[1] = b'J';
            for x in &mut c[2..] {
                *x = digit(rng);
            }
        } else {
            c[0] = b'5';
            for x in &mut c[1..] {
                *x = digit(rng);
            }
        }
    } else if rng.random_bool(0.3) {
        c[0] = b'M';
        c[1] = b'A';
        c[2] = if rng.random_bool(0.7) { b'1' } else { b'2' };
        for x in &mut c[3..] {
            *x = if rng.random_bool(0.8) {
                digit(rng)
            } else {
                LETTERS[index(rng, LETTERS.len())]
            };
        }
    } else {
        c[0] = b'1' + rng.random_range(0..9u8);
        for x in &mut c[1..] {
            *x = digit(rng);
        }
    }
    for &b in &c {
        out.push(char::from(b));
    }
    out.push(org_code_check_char(&c));
}

fn generate_orgs(rng: &mut ChaCha8Rng, n: usize) -> (Vec<Org>, Table) {
    let mut table = Table::new("organisations.csv", &ORGANISATION_HEADERS);
    let mut orgs = Vec::with_capacity(n);
    let mut names: HashSet<String> = HashSet::with_capacity(n);
    let mut codes: HashSet<String> = HashSet::with_capacity(n);
    let industries: Vec<(usize, u32)> = INDUSTRIES
        .iter()
        .enumerate()
        .map(|(i, ind)| (i, ind.weight))
        .collect();
    let software = INDUSTRIES
        .iter()
        .position(|i| i.word == "软件")
        .expect("software industry listed");
    for i in 0..n {
        // Cycle through the districts first so that small cities use several.
        let district = if i < DISTRICTS.len() {
            i
        } else {
            index(rng, DISTRICTS.len())
        };
        let d = &DISTRICTS[district];
        // The first three are software organisations named 南京…软件…, two enterprises
        // and the city's software association.
        let mut social = match i {
            0 | 1 => None,
            2 => Some(SocialKind::Association),
            _ if rng.random_bool(0.25) => Some(weighted(rng, SOCIAL_KINDS)),
            _ => None,
        };
        let industry = match (i, social) {
            (0 | 1, _) => software,
            (_, None) => weighted(rng, &industries),
            _ => 0,
        };
        let mut attempt = 0;
        let name = loop {
            // Associations, chambers and promotion societies are few per place: once
            // they are taken, found a service centre or a school instead.
            if attempt >= 6 && social.is_some_and(|k| k.code_prefix() == "51") {
                social = Some(choose(
                    rng,
                    &[
                        SocialKind::SocialWork,
                        SocialKind::Elderly,
                        SocialKind::School,
                    ],
                ));
            }
            let candidate = match (i, social) {
                (0, _) => enterprise_name(rng, &INDUSTRIES[industry], attempt, Some("有限公司")),
                (1, _) => {
                    enterprise_name(rng, &INDUSTRIES[industry], attempt, Some("科技有限公司"))
                }
                (2, _) if attempt == 0 => "南京市软件行业协会".to_string(),
                (_, Some(kind)) => social_name(rng, kind, district, attempt),
                (_, None) => enterprise_name(rng, &INDUSTRIES[industry], attempt, None),
            };
            if !names.contains(&candidate) {
                names.insert(candidate.clone());
                break candidate;
            }
            attempt += 1;
        };
        let code = loop {
            let mut code = String::with_capacity(18);
            code.push_str(social.map_or("91", |k| k.code_prefix()));
            code.push_str(d.code);
            org_code(rng, social.is_some(), &mut code);
            let check = credit_code_check_char(&code);
            code.push(check);
            if codes.insert(code.clone()) {
                break code;
            }
        };
        let street = choose(rng, d.streets);
        let mut address = concat(&[street, choose(rng, ROADS)]);
        push_num(&mut address, rng.random_range(1..400), 1);
        address.push('号');
        table.push(vec![
            code.clone(),
            name.clone(),
            if social.is_some() {
                "social"
            } else {
                "enterprise"
            }
            .to_string(),
            d.name.to_string(),
            street.to_string(),
            address,
            social
                .map_or(INDUSTRIES[industry].sector, |k| k.sector())
                .to_string(),
        ]);
        orgs.push(Org {
            code,
            name,
            district,
        });
    }
    (orgs, table)
}

// ---------------------------------------------------------------------------
// Persons and their files
// ---------------------------------------------------------------------------

struct Generator {
    rng: ChaCha8Rng,
    year: i32,
    /// The reference day of the cycle: `year`-09-01.
    reference: NaiveDate,
    orgs: Vec<Org>,
    ids: HashSet<u64>,
    surnames: Picker<&'static str>,
    areas: Picker<u32>,
    /// Probabilities of secretary and staff for persons after the first one of each
    /// organisation (who is always a secretary).
    p_secretary: f64,
    p_staff: f64,
    persons: Table,
    education: Table,
    work_history: Table,
    training: Table,
    assessments: Table,
    pay: Table,
    rewards: Table,
}

/// Birth, education and post dates of one person.
struct Timeline {
    birth: NaiveDate,
    education_end: NaiveDate,
    post_start: NaiveDate,
}

impl Generator {
    fn name(&mut self, i: usize, female: bool) -> String {
        let rng = &mut self.rng;
        let surname = match SPECIAL_SURNAMES.get(i) {
            Some(s) => s,
            None => self.surnames.pick(rng),
        };
        let mut name = String::with_capacity(12);
        name.push_str(surname);
        let list = if female { FEMALE_GIVEN } else { MALE_GIVEN };
        let given_char = |rng: &mut ChaCha8Rng| {
            if rng.random_bool(0.06) {
                choose(rng, NEUTRAL_GIVEN)
            } else {
                choose(rng, list)
            }
        };
        let first = given_char(rng);
        name.push_str(first);
        if rng.random_bool(0.68) {
            let mut second = given_char(rng);
            // Doubled characters (婷婷) occur, but rarely and mostly for women.
            if second == first && !(female && rng.random_bool(0.3)) {
                second = given_char(rng);
            }
            name.push_str(second);
        }
        name
    }

    /// A fresh ID number (unique in the output) for a person born in `lo..=hi`.
    fn id_number(&mut self, female: bool, lo: NaiveDate, hi: NaiveDate) -> (String, NaiveDate) {
        loop {
            let rng = &mut self.rng;
            // Triangular distribution: more middle-aged than very young or old workers.
            let span = (hi - lo).num_days().max(0) as u32;
            let a = rng.random_range(0..=span);
            let b = rng.random_range(0..=span);
            let birth = add_days(lo, i64::from((a + b) / 2));
            let area = self.areas.pick(rng);
            let seq = if female {
                2 * rng.random_range(1..500u32)
            } else {
                2 * rng.random_range(0..500u32) + 1
            };
            let date = birth.year() as u32 * 10_000 + birth.month() * 100 + birth.day();
            let key = u64::from(area) * 100_000_000_000 + u64::from(date) * 1000 + u64::from(seq);
            if !self.ids.insert(key) {
                continue;
            }
            let mut id = String::with_capacity(18);
            push_num(&mut id, area, 6);
            push_num(&mut id, date, 8);
            push_num(&mut id, seq, 3);
            let check = id_check_char(&id);
            id.push(check);
            return (id, birth);
        }
    }

    fn category(&mut self, i: usize) -> Category {
        if i < self.orgs.len() {
            return Category::Secretary;
        }
        let r: f64 = self.rng.random();
        if r < self.p_secretary {
            Category::Secretary
        } else if r < self.p_secretary + self.p_staff {
            Category::Staff
        } else {
            Category::Instructor
        }
    }

    /// Writes the education rows; returns the day the last course ended.
    fn education(&mut self, id: &str, level: Education, birth: NaiveDate) -> NaiveDate {
        let rng = &mut self.rng;
        // School years start in September; those born after August start a year later.
        let entry = birth.year() + 18 + i32::from(birth.month() >= 9);
        // (start year, end year, school, major, degree)
        type Row = (i32, i32, &'static str, &'static str, &'static str);
        let mut rows: [Option<Row>; 2] = [None, None];
        match level {
            Education::HighSchool => {
                rows[0] = Some((entry - 3, entry, choose(rng, HIGH_SCHOOLS), "", "无"));
            }
            Education::College => {
                if rng.random_bool(0.4) {
                    rows[0] = Some((entry - 3, entry, choose(rng, HIGH_SCHOOLS), "", "无"));
                }
                rows[1] = Some((
                    entry,
                    entry + 3,
                    choose(rng, COLLEGES),
                    choose(rng, COLLEGE_MAJORS),
                    "无",
                ));
            }
            Education::Bachelor => {
                if rng.random_bool(0.25) {
                    // College, then a two-year top-up bachelor's degree (专升本).
                    rows[0] = Some((
                        entry,
                        entry + 3,
                        choose(rng, COLLEGES),
                        choose(rng, COLLEGE_MAJORS),
                        "无",
                    ));
                    rows[1] = Some((
                        entry + 3,
                        entry + 5,
                        choose(rng, TOP_UP_UNIVERSITIES),
                        choose(rng, BACHELOR_MAJORS),
                        "学士",
                    ));
                } else {
                    if rng.random_bool(0.3) {
                        rows[0] = Some((entry - 3, entry, choose(rng, HIGH_SCHOOLS), "", "无"));
                    }
                    rows[1] = Some((
                        entry,
                        entry + 4,
                        choose(rng, UNIVERSITIES),
                        choose(rng, BACHELOR_MAJORS),
                        "学士",
                    ));
                }
            }
            Education::Master => {
                let years = if rng.random_bool(0.6) { 3 } else { 2 };
                rows[0] = Some((
                    entry,
                    entry + 4,
                    choose(rng, UNIVERSITIES),
                    choose(rng, BACHELOR_MAJORS),
                    "学士",
                ));
                rows[1] = Some((
                    entry + 4,
                    entry + 4 + years,
                    choose(rng, GRADUATE_SCHOOLS),
                    choose(rng, MASTER_MAJORS),
                    "硕士",
                ));
            }
        }
        let mut end = birth;
        for (start_year, end_year, school, major, degree) in rows.into_iter().flatten() {
            end = ymd(end_year, 6, 30);
            self.education.push(vec![
                id.to_string(),
                fmt_date(ymd(start_year, 9, 1)),
                fmt_date(end),
                school.to_string(),
                major.to_string(),
                degree.to_string(),
            ]);
        }
        end
    }

    fn work_history(
        &mut self,
        id: &str,
        t: &Timeline,
        org: usize,
        category: Category,
        position: &str,
    ) {
        let rng = &mut self.rng;
        let first_possible = add_years(t.birth, 18).max(add_days(t.education_end, 1));
        let span = (t.post_start - first_possible).num_days();
        let earlier = if span < 180 {
            0
        } else {
            let k = weighted(rng, &[(0u32, 25), (1, 40), (2, 35)]);
            if k == 2 && span < 400 {
                1
            } else {
                k
            }
        };
        // Start dates of the earlier rows; each ends the day before the next begins.
        let mut starts = [first_possible; 2];
        if earlier > 0 {
            let latest_first = add_days(t.post_start, -180 * i64::from(earlier));
            let cap = add_days(first_possible, (span / 4).min(730));
            starts[0] = rand_date(rng, first_possible, cap.min(latest_first));
            if earlier == 2 {
                starts[1] = rand_date(rng, add_days(starts[0], 180), add_days(t.post_start, -180));
            }
        }
        let district = self.orgs[org].district;
        for k in 0..earlier as usize {
            let next = if k + 1 < earlier as usize {
                starts[k + 1]
            } else {
                t.post_start
            };
            let (organisation, pos) = if category == Category::Instructor {
                let d = &DISTRICTS[if rng.random_bool(0.7) {
                    district
                } else {
                    index(rng, DISTRICTS.len())
                }];
                let unit = if rng.random_bool(0.3) {
                    concat(&[d.name, choose(rng, d.streets), "办事处"])
                } else {
                    concat(&[d.name, choose(rng, GOV_UNITS)])
                };
                (unit, choose(rng, GOV_POSITIONS))
            } else {
                let mut other = index(rng, self.orgs.len());
                if other == org && self.orgs.len() > 1 {
                    other = (other + 1) % self.orgs.len();
                }
                (
                    self.orgs[other].name.clone(),
                    choose(rng, EARLIER_POSITIONS),
                )
            };
            self.work_history.push(vec![
                id.to_string(),
                fmt_date(starts[k]),
                fmt_date(add_days(next, -1)),
                organisation,
                pos.to_string(),
            ]);
        }
        self.work_history.push(vec![
            id.to_string(),
            fmt_date(t.post_start),
            String::new(),
            self.orgs[org].name.clone(),
            position.to_string(),
        ]);
    }

    /// Training rows; about 75% of persons reach 3 days in the last 12 months.
    fn training(&mut self, id: &str, district: &str) {
        let rng = &mut self.rng;
        let reference = self.reference;
        let mut rows: [(NaiveDate, u32); 4] = [(reference, 0); 4];
        let mut n = 0;
        let meets = rng.random_bool(0.75);
        // Half days, so that 0.5 days is exact.
        if meets {
            let recent = rng.random_range(1..=3usize);
            let mut sum = 0;
            for k in 0..recent {
                let mut days = choose(rng, &[1u32, 2, 2, 2, 3, 4, 6, 6, 10]);
                if k + 1 == recent && sum + days < 6 {
                    // The last one tops the year up to at least 3 days.
                    days = [1u32, 2, 3, 4, 6]
                        .into_iter()
                        .find(|&d| sum + d >= 6)
                        .unwrap_or(6);
                }
                sum += days;
                rows[n] = (
                    rand_date(rng, add_days(reference, -360), add_days(reference, -1)),
                    days,
                );
                n += 1;
            }
        } else {
            let recent = weighted(rng, &[(0usize, 30), (1, 50), (2, 20)]);
            for k in 0..recent {
                let days = if k == 0 {
                    choose(rng, &[1u32, 2, 2, 3, 4])
                } else {
                    choose(rng, &[1u32, 2])
                };
                rows[n] = (
                    rand_date(rng, add_days(reference, -360), add_days(reference, -1)),
                    days,
                );
                n += 1;
            }
        }
        let older = rng.random_range(0..=(4 - n).min(2));
        for _ in 0..older {
            let days = choose(rng, &[1u32, 2, 2, 3, 4, 6, 10]);
            rows[n] = (
                rand_date(rng, add_days(reference, -725), add_days(reference, -370)),
                days,
            );
            n += 1;
        }
        // Training happens on working days: move weekend dates back to Friday.
        for row in &mut rows[..n] {
            match row.0.weekday() {
                Weekday::Sat => row.0 = add_days(row.0, -1),
                Weekday::Sun => row.0 = add_days(row.0, -2),
                _ => {}
            }
        }
        rows[..n].sort_by_key(|r| r.0);
        // One training a day: a date that collides moves to the next weekday.
        for k in 1..n {
            while rows[k].0 <= rows[k - 1].0
                || matches!(rows[k].0.weekday(), Weekday::Sat | Weekday::Sun)
            {
                rows[k].0 = add_days(rows[k].0, 1);
            }
        }
        for &(date, days) in &rows[..n] {
            let title = choose(rng, TRAINING_TITLES);
            let organiser = match rng.random_range(0..5u32) {
                0 | 1 => "南京市委组织部".to_string(),
                2 => concat(&[district, "委组织部"]),
                3 => "南京市委党校".to_string(),
                _ => concat(&[district, "委党校"]),
            };
            self.training.push(vec![
                id.to_string(),
                fmt_date(date),
                fmt_half_days(days),
                title.to_string(),
                organiser,
            ]);
        }
    }

    fn person(&mut self, i: usize) {
        let year = self.year;
        let reference = self.reference;
        let org = if i < self.orgs.len() {
            i
        } else {
            index(&mut self.rng, self.orgs.len())
        };
        let district = DISTRICTS[self.orgs[org].district].name;
        let female = self.rng.random_bool(0.45);
        let name = self.name(i, female);

        // Born 1962–2000, but old enough to have finished any degree and held a post
        // for a year by the cycle.
        let birth_hi = ymd(2000, 12, 31).min(add_years(reference, -26));
        let birth_lo = ymd(1962, 1, 1).min(add_years(birth_hi, -38));
        let (id, birth) = self.id_number(female, birth_lo, birth_hi);

        let category = self.category(i);
        let position = match category {
            Category::Secretary => weighted(&mut self.rng, SECRETARY_POSITIONS),
            Category::Staff => weighted(&mut self.rng, STAFF_POSITIONS),
            Category::Instructor => "党建工作指导员",
        };
        let education = weighted(
            &mut self.rng,
            &[
                (Education::Bachelor, 60),
                (Education::Master, 13),
                (Education::College, 22),
                (Education::HighSchool, 5),
            ],
        );
        let education_end = self.education(&id, education, birth);

        // Post start: 1–15 years before the reference day, at 22 or older, after
        // full-time education when possible. Graded persons have held the post long
        // enough for their grade.
        let rng = &mut self.rng;
        let latest = add_years(reference, -1);
        let mut earliest = add_years(birth, 22).max(add_years(reference, -15));
        if education_end < latest {
            earliest = earliest.max(add_days(education_end, 1));
        }
        let grade_cutoff = ymd(year, 6, 30);
        // About 45% of all persons (instructors included) hold no grade.
        let mut grade = if category == Category::Instructor || rng.random_bool(0.39) {
            None
        } else {
            Some(weighted(rng, &[(0usize, 50), (1, 30), (2, 15), (3, 5)]))
        };
        let mut post_latest = latest;
        while let Some(g) = grade {
            let limit = latest.min(add_years(grade_cutoff, -(GRADE_TENURE[g] as i32)));
            if earliest <= limit {
                post_latest = limit;
                break;
            }
            grade = g.checked_sub(1);
        }
        let post_start = rand_date(rng, earliest, post_latest);
        let grade_since = grade.map(|g| {
            let lo = add_years(post_start, GRADE_TENURE[g] as i32);
            rand_date(rng, lo, grade_cutoff)
        });
        let join_lo = add_days(add_years(birth, 18), 1);
        let join_hi = add_days(post_start, -1).min(add_years(birth, 40));
        let party_join = rand_date(rng, join_lo, join_hi);

        let phone = if rng.random_bool(0.05) {
            String::new()
        } else {
            let mut p = String::with_capacity(11);
            p.push_str(choose(rng, PHONE_PREFIXES));
            push_num(&mut p, rng.random_range(0..100_000_000), 8);
            p
        };
        let ethnicity = weighted(rng, ETHNICITIES);
        let home = if rng.random_bool(0.6) {
            &DISTRICTS[self.orgs[org].district]
        } else {
            &DISTRICTS[index(rng, DISTRICTS.len())]
        };
        let mut address = concat(&[
            "南京市",
            home.name,
            choose(rng, home.streets),
            choose(rng, ROADS),
        ]);
        push_num(&mut address, rng.random_range(1..300), 1);
        address.push('号');
        push_num(&mut address, rng.random_range(1..30), 1);
        address.push('幢');
        push_num(&mut address, rng.random_range(1..=18), 1);
        push_num(&mut address, rng.random_range(1..=4), 2);
        address.push('室');
        let title = if rng.random_bool(0.3) {
            weighted(rng, TITLES)
        } else {
            ""
        };

        self.persons.push(vec![
            id.clone(),
            name,
            if female { "女" } else { "男" }.to_string(),
            self.orgs[org].code.clone(),
            category.label().to_string(),
            position.to_string(),
            fmt_date(post_start),
            grade.map_or("", |g| GRADES[g]).to_string(),
            grade_since.map_or_else(String::new, fmt_date),
            phone,
            ethnicity.to_string(),
            education.label().to_string(),
            fmt_date(party_join),
            address,
            title.to_string(),
        ]);

        let timeline = Timeline {
            birth,
            education_end,
            post_start,
        };
        self.work_history(&id, &timeline, org, category, position);
        self.training(&id, district);

        // Annual assessments for the last 2–3 years, only for full years in post.
        let rng = &mut self.rng;
        let span = if rng.random_bool(0.6) { 3 } else { 2 };
        let mut assessed: [Option<usize>; 3] = [None; 3];
        for (k, y) in (year - 3..year).enumerate() {
            if y < year - span || y <= post_start.year() {
                continue;
            }
            let g = weighted(rng, &[(0usize, 25), (1, 65), (2, 8), (3, 2)]);
            assessed[k] = Some(g);
            let mut y_text = String::with_capacity(4);
            push_num(&mut y_text, y as u32, 4);
            self.assessments.push(vec![
                id.clone(),
                y_text,
                ASSESSMENT_GRADES[g].0.to_string(),
                choose(rng, REMARKS[g]).to_string(),
            ]);
        }

        // Pay for the last two years; the allowance needs the grade held that year and
        // an assessment of 称职 or better.
        let base = rng.random_range(600..=1800u32) * 100;
        for (k, y) in (year - 2..year).enumerate() {
            let amount = if k == 0 {
                base
            } else {
                (base + rng.random_range(0..=base / 2000) * 100).min(180_000)
            };
            let mut y_text = String::with_capacity(4);
            push_num(&mut y_text, y as u32, 4);
            let mut amount_text = String::with_capacity(6);
            push_num(&mut amount_text, amount, 1);
            self.pay.push(vec![
                id.clone(),
                y_text.clone(),
                "基本工资".to_string(),
                amount_text,
            ]);
            if let (Some(g), Some(since)) = (grade, grade_since) {
                let good = matches!(assessed[k + 1], Some(0 | 1));
                if since.year() <= y && good {
                    let mut allowance = String::with_capacity(4);
                    push_num(&mut allowance, ALLOWANCE[g], 1);
                    self.pay
                        .push(vec![id.clone(), y_text, "红领津贴".to_string(), allowance]);
                }
            }
        }

        // Rewards (about 25%) and penalties (about 3%) since the post began.
        if rng.random_bool(0.25) {
            let lo = post_start.max(add_years(reference, -5));
            let mut date = rand_date(rng, lo, add_days(reference, -1));
            // Many awards are given around 1 July.
            let july = ymd(date.year(), 6, 30);
            if rng.random_bool(0.5) && july >= lo && july < reference {
                date = july;
            }
            let title = if category == Category::Secretary && rng.random_bool(0.3) {
                "先进基层党组织书记"
            } else if rng.random_bool(0.6) {
                "优秀党务工作者"
            } else {
                "优秀共产党员"
            };
            let issuer = match rng.random_range(0..4u32) {
                0 => "南京市委组织部".to_string(),
                1 => "南京市委".to_string(),
                2 => concat(&[district, "委"]),
                _ => concat(&[district, "委组织部"]),
            };
            self.rewards.push(vec![
                id.clone(),
                fmt_date(date),
                "奖励".to_string(),
                title.to_string(),
                issuer,
            ]);
        }
        if rng.random_bool(0.03) {
            let date = rand_date(rng, post_start, add_days(reference, -1));
            let title = if rng.random_bool(0.6) {
                "诫勉谈话"
            } else {
                "通报批评"
            };
            let issuer = if rng.random_bool(0.7) {
                concat(&[district, "委组织部"])
            } else {
                "南京市委组织部".to_string()
            };
            self.rewards.push(vec![
                id,
                fmt_date(date),
                "处罚".to_string(),
                title.to_string(),
                issuer,
            ]);
        }
    }
}

/// Generates a city of `persons` persons spread over [`organisation_count`]
/// organisations.
///
/// Deterministic: same (persons, seed, year) -> byte-identical tables. `year` is the
/// certification cycle year (e.g. 2026); all dates lie on or before `year`-09-01.
pub fn generate(persons: usize, seed: u64, year: i32) -> City {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (orgs, organisations) = generate_orgs(&mut rng, organisation_count(persons));
    // The first person of each organisation is its secretary; the others are drawn so
    // that overall about 55% are secretaries, 35% staff and 10% instructors.
    let rest = persons.saturating_sub(orgs.len()).max(1) as f64;
    let total = persons as f64;
    let p_secretary = ((0.55 * total - orgs.len().min(persons) as f64) / rest).clamp(0.0, 1.0);
    let p_staff = ((0.35 * total) / rest).min(1.0 - p_secretary);
    let mut g = Generator {
        rng,
        year,
        reference: ymd(year, 9, 1),
        orgs,
        ids: HashSet::with_capacity(persons),
        surnames: Picker::parse(SURNAMES, |s| s),
        areas: Picker::parse(ID_AREAS, |a| a.parse().expect("numeric area code")),
        p_secretary,
        p_staff,
        persons: Table::new("persons.csv", &PERSON_HEADERS),
        education: Table::new("education.csv", &EDUCATION_HEADERS),
        work_history: Table::new("work_history.csv", &WORK_HISTORY_HEADERS),
        training: Table::new("training.csv", &TRAINING_HEADERS),
        assessments: Table::new("assessments.csv", &ASSESSMENT_HEADERS),
        pay: Table::new("pay.csv", &PAY_HEADERS),
        rewards: Table::new("rewards.csv", &REWARD_HEADERS),
    };
    // Expected rows per person, so that the tables are not reallocated while growing.
    g.persons.rows.reserve(persons);
    g.education.rows.reserve(persons * 16 / 10);
    g.work_history.rows.reserve(persons * 22 / 10);
    g.training.rows.reserve(persons * 27 / 10);
    g.assessments.rows.reserve(persons * 25 / 10);
    g.pay.rows.reserve(persons * 28 / 10);
    g.rewards.rows.reserve(persons * 3 / 10);
    for i in 0..persons {
        g.person(i);
    }
    City {
        organisations,
        persons: g.persons,
        education: g.education,
        work_history: g.work_history,
        training: g.training,
        assessments: g.assessments,
        pay: g.pay,
        rewards: g.rewards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn col<'a>(table: &'a Table, row: usize, name: &str) -> &'a str {
        let c = table.column(name).expect("column exists");
        &table.rows[row].cells[c]
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("YYYY-MM-DD date")
    }

    fn birth_of(id: &str) -> NaiveDate {
        NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").expect("real birth date")
    }

    #[test]
    fn check_characters() {
        assert_eq!(id_check_char("11010519491231002"), 'X');
        assert_ne!(id_check_char("34052419800101001"), '3');
        assert_eq!(id_check_char("1101051949123100"), '?');
        assert_eq!(credit_code_check_char("91350100M000100Y4"), '3');
        assert_eq!(org_code_check_char(b"M000100Y"), '4');
        assert_eq!(credit_code_check_char("91350100M000100I4"), '?');
    }

    #[test]
    fn organisation_counts() {
        assert_eq!(organisation_count(150), 40);
        assert_eq!(organisation_count(0), 3);
        assert_eq!(organisation_count(11), 3);
        assert_eq!(organisation_count(15), 4);
        assert_eq!(organisation_count(16), 5);
        assert_eq!(organisation_count(100_000), 26_667);
    }

    #[test]
    fn deterministic() {
        let a = generate(150, 7, 2026);
        let b = generate(150, 7, 2026);
        assert_eq!(a, b);
        let c = generate(150, 8, 2026);
        assert_ne!(a.persons, c.persons);
        assert_ne!(a.organisations, c.organisations);
    }

    #[test]
    fn counts_and_headers() {
        let city = generate(150, 1, 2026);
        assert_eq!(city.organisations.len(), 40);
        assert_eq!(city.persons.len(), 150);
        assert_eq!(city.organisations.headers, ORGANISATION_HEADERS);
        assert_eq!(city.persons.headers, PERSON_HEADERS);
        assert_eq!(city.education.headers, EDUCATION_HEADERS);
        assert_eq!(city.work_history.headers, WORK_HISTORY_HEADERS);
        assert_eq!(city.training.headers, TRAINING_HEADERS);
        assert_eq!(city.assessments.headers, ASSESSMENT_HEADERS);
        assert_eq!(city.pay.headers, PAY_HEADERS);
        assert_eq!(city.rewards.headers, REWARD_HEADERS);
        for t in [
            &city.organisations,
            &city.persons,
            &city.education,
            &city.work_history,
            &city.training,
            &city.assessments,
            &city.pay,
            &city.rewards,
        ] {
            assert!(t.rows.iter().all(|r| r.cells.len() == t.headers.len()));
        }
        // Every district is used and every organisation has someone.
        let counties: HashSet<&str> = (0..40)
            .map(|i| col(&city.organisations, i, "county"))
            .collect();
        assert_eq!(counties.len(), 11);
        let used: HashSet<&str> = (0..150)
            .map(|i| col(&city.persons, i, "org_code"))
            .collect();
        assert_eq!(used.len(), 40);
        for n in [0, 1, 3, 10] {
            let small = generate(n, 3, 2026);
            assert_eq!(small.persons.len(), n);
            assert_eq!(small.organisations.len(), 3);
        }
    }

    #[test]
    fn organisations_valid() {
        let city = generate(600, 5, 2026);
        let orgs = &city.organisations;
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for i in 0..orgs.len() {
            let code = col(orgs, i, "code");
            assert_eq!(code.len(), 18, "{code}");
            assert_eq!(
                credit_code_check_char(&code[..17]),
                code.chars().nth(17).unwrap()
            );
            assert_eq!(
                org_code_check_char(&code.as_bytes()[8..16]),
                code.chars().nth(16).unwrap()
            );
            let kind = col(orgs, i, "kind");
            match kind {
                "enterprise" => assert!(code.starts_with("91")),
                "social" => assert!(code.starts_with("51") || code.starts_with("52")),
                _ => panic!("kind {kind}"),
            }
            let county = col(orgs, i, "county");
            let d = DISTRICTS
                .iter()
                .find(|d| d.name == county)
                .expect("district");
            assert_eq!(&code[2..8], d.code);
            let township = col(orgs, i, "township");
            assert!(d.streets.contains(&township));
            assert!(col(orgs, i, "address").starts_with(township));
            assert!(!col(orgs, i, "industry").is_empty());
            assert!(codes.insert(code));
            assert!(names.insert(col(orgs, i, "name")));
        }
        let social = (0..orgs.len())
            .filter(|&i| col(orgs, i, "kind") == "social")
            .count();
        assert!(
            (20..=70).contains(&social),
            "{social} social of {}",
            orgs.len()
        );
        let small = generate(3, 9, 2026);
        let software = (0..3)
            .filter(|&i| {
                let n = col(&small.organisations, i, "name");
                n.starts_with("南京") && n.contains("软件")
            })
            .count();
        assert_eq!(software, 3);
    }

    #[test]
    fn persons_valid_and_consistent() {
        let year = 2026;
        let city = generate(1500, 11, year);
        let p = &city.persons;
        let reference = ymd(year, 9, 1);
        let codes: HashSet<&str> = (0..city.organisations.len())
            .map(|i| col(&city.organisations, i, "code"))
            .collect();
        for i in 0..p.len() {
            let id = col(p, i, "id_number");
            assert_eq!(id.len(), 18);
            assert_eq!(
                id_check_char(&id[..17]),
                id.chars().nth(17).unwrap(),
                "{id}"
            );
            let birth = birth_of(id);
            assert!(birth >= ymd(1962, 1, 1) && birth <= ymd(2000, 12, 31));
            let odd = (id.as_bytes()[16] - b'0') % 2 == 1;
            assert_eq!(col(p, i, "sex"), if odd { "男" } else { "女" });
            assert!(codes.contains(col(p, i, "org_code")));

            let post = date(col(p, i, "post_start"));
            assert!(post >= add_years(birth, 22), "{id} {post}");
            assert!(post >= add_years(reference, -15) && post <= add_years(reference, -1));
            let join = date(col(p, i, "party_join_date"));
            assert!(join > add_years(birth, 18) && join < post);

            let grade = col(p, i, "current_grade");
            let since = col(p, i, "grade_since");
            assert_eq!(grade.is_empty(), since.is_empty());
            if !grade.is_empty() {
                assert!(GRADES.contains(&grade));
                assert_ne!(col(p, i, "category"), "党建工作指导员");
                let since = date(since);
                assert!(since >= add_years(post, 1) && since <= ymd(year, 6, 30));
            }
            let phone = col(p, i, "phone");
            if !phone.is_empty() {
                assert_eq!(phone.len(), 11);
                assert!(phone.bytes().all(|b| b.is_ascii_digit()));
                assert!(phone.starts_with('1') && (b'3'..=b'9').contains(&phone.as_bytes()[1]));
            }
            let name = col(p, i, "name");
            assert!((2..=4).contains(&name.chars().count()), "{name}");
            assert!(col(p, i, "address").starts_with("南京市"));
        }
    }

    #[test]
    fn special_surnames_present() {
        let city = generate(150, 2, 2026);
        let names: Vec<&str> = (0..150).map(|i| col(&city.persons, i, "name")).collect();
        for s in SPECIAL_SURNAMES {
            assert!(names.iter().any(|n| n.starts_with(s)), "no surname {s}");
        }
    }

    #[test]
    fn ids_unique_at_scale() {
        let city = generate(20_000, 4, 2026);
        let ids: HashSet<&str> = (0..city.persons.len())
            .map(|i| col(&city.persons, i, "id_number"))
            .collect();
        assert_eq!(ids.len(), 20_000);
        let names: HashSet<&str> = (0..city.organisations.len())
            .map(|i| col(&city.organisations, i, "name"))
            .collect();
        assert_eq!(names.len(), city.organisations.len());
        // At most one training a day per person, so every row has its own key.
        let trainings: HashSet<(&str, &str)> = (0..city.training.len())
            .map(|i| {
                (
                    col(&city.training, i, "id_number"),
                    col(&city.training, i, "date"),
                )
            })
            .collect();
        assert_eq!(trainings.len(), city.training.len());
    }

    #[test]
    fn files_consistent() {
        let year = 2026;
        let city = generate(2000, 13, year);
        let reference = ymd(year, 9, 1);
        let p = &city.persons;
        let org_names: HashMap<&str, &str> = (0..city.organisations.len())
            .map(|i| {
                (
                    col(&city.organisations, i, "code"),
                    col(&city.organisations, i, "name"),
                )
            })
            .collect();
        let persons: HashMap<&str, usize> =
            (0..p.len()).map(|i| (col(p, i, "id_number"), i)).collect();

        // Work history: contiguous, ending with the current post.
        let mut work: HashMap<&str, Vec<usize>> = HashMap::new();
        for r in 0..city.work_history.len() {
            work.entry(col(&city.work_history, r, "id_number"))
                .or_default()
                .push(r);
        }
        assert_eq!(work.len(), p.len());
        for (id, rows) in &work {
            assert!((1..=3).contains(&rows.len()));
            let i = persons[id];
            let last = *rows.last().unwrap();
            let w = &city.work_history;
            assert_eq!(col(w, last, "end"), "");
            assert_eq!(col(w, last, "start"), col(p, i, "post_start"));
            assert_eq!(
                col(w, last, "organisation"),
                org_names[col(p, i, "org_code")]
            );
            assert_eq!(col(w, last, "position"), col(p, i, "position"));
            let birth = birth_of(id);
            assert!(date(col(w, rows[0], "start")) >= add_years(birth, 18));
            for pair in rows.windows(2) {
                let end = date(col(w, pair[0], "end"));
                assert!(date(col(w, pair[0], "start")) <= end);
                assert_eq!(add_days(end, 1), date(col(w, pair[1], "start")));
            }
        }

        // Education: 1–2 rows, before the cycle.
        let mut edu: HashMap<&str, usize> = HashMap::new();
        for r in 0..city.education.len() {
            *edu.entry(col(&city.education, r, "id_number")).or_default() += 1;
            assert!(date(col(&city.education, r, "start")) < date(col(&city.education, r, "end")));
            assert!(date(col(&city.education, r, "end")) < reference);
        }
        assert_eq!(edu.len(), p.len());
        assert!(edu.values().all(|&n| (1..=2).contains(&n)));

        // Training: 0–4 rows in the 24 months; about 75% reach 3 days in 12 months.
        let mut recent: HashMap<&str, f64> = HashMap::new();
        let mut per_person: HashMap<&str, usize> = HashMap::new();
        for r in 0..city.training.len() {
            let t = &city.training;
            let id = col(t, r, "id_number");
            let d = date(col(t, r, "date"));
            assert!(d < reference && d >= add_years(reference, -2));
            let days = col(t, r, "days");
            assert!(["0.5", "1", "1.5", "2", "3", "5"].contains(&days), "{days}");
            *per_person.entry(id).or_default() += 1;
            if d > add_years(reference, -1) {
                *recent.entry(id).or_default() += days.parse::<f64>().unwrap();
            }
        }
        assert!(per_person.values().all(|&n| n <= 4));
        let meeting = recent.values().filter(|&&d| d >= 3.0).count() as f64 / p.len() as f64;
        assert!((0.70..=0.80).contains(&meeting), "{meeting}");

        // Assessments after the post began; allowances only with a grade and a good
        // assessment.
        let mut assessed: HashMap<(&str, &str), &str> = HashMap::new();
        for r in 0..city.assessments.len() {
            let a = &city.assessments;
            let id = col(a, r, "id_number");
            let y: i32 = col(a, r, "year").parse().unwrap();
            assert!((year - 3..year).contains(&y));
            assert!(y > date(col(p, persons[id], "post_start")).year());
            assert!(ASSESSMENT_GRADES.iter().any(|g| g.0 == col(a, r, "grade")));
            assessed.insert((id, col(a, r, "year")), col(a, r, "grade"));
        }
        for r in 0..city.pay.len() {
            let pay = &city.pay;
            let id = col(pay, r, "id_number");
            let amount: u32 = col(pay, r, "amount").parse().unwrap();
            match col(pay, r, "item") {
                "基本工资" => assert!((60_000..=180_000).contains(&amount)),
                "红领津贴" => {
                    let i = persons[id];
                    let g = GRADES
                        .iter()
                        .position(|&g| g == col(p, i, "current_grade"))
                        .unwrap();
                    assert_eq!(amount, ALLOWANCE[g]);
                    let grade = assessed[&(id, col(pay, r, "year"))];
                    assert!(grade == "优秀" || grade == "称职");
                }
                other => panic!("pay item {other}"),
            }
        }
        for r in 0..city.rewards.len() {
            let d = date(col(&city.rewards, r, "date"));
            assert!(d < reference);
            assert!(["奖励", "处罚"].contains(&col(&city.rewards, r, "kind")));
        }
    }

    #[test]
    fn other_cycle_years() {
        for year in [2022, 2031] {
            let city = generate(300, 21, year);
            let reference = ymd(year, 9, 1);
            for t in [
                &city.persons,
                &city.education,
                &city.work_history,
                &city.training,
                &city.rewards,
            ] {
                for (c, h) in t.headers.iter().enumerate() {
                    if ![
                        "post_start",
                        "grade_since",
                        "party_join_date",
                        "start",
                        "end",
                        "date",
                    ]
                    .contains(&h.as_str())
                    {
                        continue;
                    }
                    for r in &t.rows {
                        if !r.cells[c].is_empty() {
                            assert!(date(&r.cells[c]) <= reference, "{} {h} {year}", t.source);
                        }
                    }
                }
            }
            for i in 0..city.persons.len() {
                let birth = birth_of(col(&city.persons, i, "id_number"));
                let post = date(col(&city.persons, i, "post_start"));
                assert!(post >= add_years(birth, 22) && post <= add_years(reference, -1));
            }
        }
    }
}
