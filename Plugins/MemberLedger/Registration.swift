import TaizhangCore

/// The member-ledger domain pack: the `member-ledger` schema, its normaliser and validators.
public enum MemberLedger {
    public static func register(into registry: inout Registry) {
        registry.register(issueTypes: [
            "id-missing": Message(zh: "缺少身份证号", en: "ID number missing"),
            "id-digits-lost": Message(zh: "身份证号被 Excel 存成数字，末几位已丢失", en: "ID number stored as a number by Excel: digits lost"),
            "id-length": Message(zh: "身份证号位数不对", en: "ID number of the wrong length"),
            "id-characters": Message(zh: "身份证号含非法字符", en: "ID number with invalid characters"),
            "id-division": Message(zh: "身份证号的地区码不存在", en: "ID number's region code unknown"),
            "id-birth-date": Message(zh: "身份证号中的出生日期无效", en: "ID number's birth date invalid"),
            "id-check-digit": Message(zh: "身份证号校验位不符", en: "ID number's check character wrong"),
            "id-birth-mismatch": Message(zh: "出生日期与身份证号不一致", en: "birth date disagrees with the ID number"),
            "id-sex-mismatch": Message(zh: "性别与身份证号不一致", en: "sex disagrees with the ID number"),
            "id-conflict": Message(zh: "同一身份证号登记了不同的人", en: "one ID number for different people"),
            "unknown-category": Message(zh: "统战对象类别无法识别", en: "category not recognised"),
            "category-needed": Message(zh: "细分群体须写明所属类别", en: "a group across categories needs the category"),
            "outdated-category": Message(zh: "旧的统战对象类别，已归入现行类别", en: "outdated category merged into a current one"),
            "party-mismatch": Message(zh: "民主党派成员未填所属党派", en: "democratic-party member without a party"),
            "ethnicity-mismatch": Message(zh: "少数民族人士的民族不符", en: "ethnic-minority member's ethnicity wrong"),
            "rule-column-missing": Message(zh: "缺少某条规则要核对的列", en: "a rule's column is missing"),
            "religion-missing": Message(zh: "宗教界人士未填宗教信仰", en: "religious figure without a religion"),
            "religion-unrecognised": Message(zh: "宗教信仰无法识别", en: "religion not recognised"),
            "cpc-member": Message(zh: "中共党员列入统战对象", en: "CPC member listed"),
            "unknown-sex": Message(zh: "性别无法识别", en: "sex not recognised"),
            "unknown-ethnicity": Message(zh: "民族无法识别", en: "ethnic group not recognised"),
            "unknown-unit": Message(zh: "所在社区不在单位名单中", en: "a community not in the list of units"),
            "unit-missing": Message(zh: "名单中的社区没有任何记录", en: "a listed community sent no records"),
            "unknown-political-status": Message(zh: "政治面貌无法识别", en: "political status not recognised"),
            "unknown-education": Message(zh: "学历无法识别", en: "education not recognised"),
            "invalid-date": Message(zh: "日期无法识别", en: "date not recognised"),
            "birth-in-future": Message(zh: "出生日期晚于今天", en: "birth date in the future"),
            "implausible-age": Message(zh: "年龄不合常理", en: "implausible age"),
            "phone-format": Message(zh: "联系电话格式不对", en: "phone number format"),
            "same-person-two-communities": Message(zh: "同一人登记在两个社区", en: "one person listed by two communities"),
            "same-person-again": Message(zh: "同一人的又一条记录（只计一次）", en: "another record of the same person (counted once)"),
            "previous-missing": Message(zh: "某社区没有上期台账，未计入人员变动", en: "a community without a previous ledger"),
            "return-check": Message(zh: "报表审核关系不成立", en: "a logic check of the return fails"),
            "form-too-many-values": Message(zh: "可填多个值的字段超过 31 个不同的值，多出的未计入", en: "a field of several values has more than 31 distinct values; the rest are not counted"),
            "return-unchecked-duplicates": Message(zh: "无身份证号的人未能按身份证查重", en: "people without ID not checked for duplicates"),
            "duplicate-person": Message(zh: "同一人重复登记", en: "the same person twice"),
            "possible-duplicate": Message(zh: "疑似同一人，需复核", en: "possibly the same person: review"),
            "possible-duplicates": Message(zh: "本次运行疑似重复的对数", en: "the run's possible duplicates"),
            "duplicates-block-capped": Message(zh: "候选过多，部分未比较", en: "too many candidates, some not compared"),
            "duplicates-model": Message(zh: "查重模型的估计", en: "the duplicates model's estimates"),
            "merged-value": Message(zh: "合并时从重复记录取值", en: "value filled from a repeat"),
            "merge-differs": Message(zh: "合并时重复记录的值不同", en: "a repeat's value differs"),
            "visit-unlinked": Message(zh: "走访记录对应不到台账中的人", en: "a visit of no one in the ledger"),
            "visit-name-mismatch": Message(zh: "走访记录的身份证号属于台账中的另一人", en: "a visit's ID number is someone else's"),
            "unknown-visit-reason": Message(zh: "走访事由无法识别（计为其他）", en: "visit reason not recognised (counted as 其他)"),
            "unknown-handling": Message(zh: "办理情况无法识别（不计为办结）", en: "办理情况 not recognised (not counted as settled)"),
            "visit-id-not-in-ledger": Message(zh: "走访记录的身份证号不在台账中（按姓名对应）", en: "a visit's ID number not in the ledger (linked by name)"),
            "request-unhandled": Message(zh: "反映了问题，未填办理情况", en: "a request with no 办理情况"),
            "visit-ambiguous": Message(zh: "走访记录对应台账中的多个人", en: "a visit that fits several people of the ledger"),
            "visit-in-future": Message(zh: "走访日期晚于今天", en: "a visit in the future"),
            "visit-before-birth": Message(zh: "走访日期早于出生日期", en: "a visit before the person's birth"),
            "visit-after-death": Message(zh: "走访日期晚于死亡日期", en: "a visit after the person's death"),
            "visit-after-leaving": Message(zh: "走访日期晚于迁出日期", en: "a visit after the person moved away"),
            "request-open-too-long": Message(zh: "反映的问题办理时间过长", en: "a request open too long"),
            "visit-coverage": Message(zh: "本年走访次数不足", en: "too few visits this year"),
            "difficulty-not-visited": Message(zh: "有困难的人本期未走访", en: "a person in hardship not visited this period"),
            "death-without-visit": Message(zh: "死亡人员没有「发生死亡」的走访", en: "a death without its visit"),
            "unknown-status": Message(zh: "人员状态无法识别（按在册计入）", en: "status not recognised (counted)"),
            "status-date-missing": Message(zh: "迁出、死亡等状态没有填日期", en: "a status such as 迁出 or 死亡 without its date"),
            "no-liaison": Message(zh: "没有联系人（统战联络员）", en: "no liaison"),
            "visit-repeated": Message(zh: "同一次走访（同一人、同一天、同一事由、同一走访人）写了两行，只计一次", en: "one visit written twice (same person, day, reason and visitor), counted once"),
            "visit-name-alike": Message(zh: "走访记录的姓名按同音或一字之差对应到台账中的人", en: "a visit linked by a name that sounds alike or is one character off"),
            "visit-linked-by-liaison": Message(zh: "同名多人，按走访人（联系人）对应", en: "one of several of a name, linked by the visitor being the liaison"),
        ])
        registry.register(schema: MemberLedgerSchema.schema,
                          defaultSteps: ["member-ledger", "fields", "id-number", "member-category", "member-values"],
                          profiles: Registry.Profiles(keys: CodeTables.keys, check: CodeTables.check, show: CodeTables.describe))
        registry.register(schema: MemberLedgerSchema.visitLog, defaultSteps: ["member-ledger", "fields", "id-number"])
        registry.register(MemberLedgerNormalizerPlugin.plugin)
        registry.register(IDNumberValidatorPlugin.plugin)
        registry.register(CategoryValidatorPlugin.plugin)
        registry.register(MemberValuesValidatorPlugin.plugin)
        registry.register(MemberReturnPlugin.plugin)
        registry.register(DuplicatesPlugin.plugin)
        registry.register(VisitsPlugin.plugin)
    }
}
