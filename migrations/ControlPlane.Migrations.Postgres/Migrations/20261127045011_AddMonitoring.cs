using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddMonitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DriftWindows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    WindowStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DriftedFeatures = table.Column<int>(type: "integer", nullable: false),
                    JudgedFeatures = table.Column<int>(type: "integer", nullable: false),
                    PredictionStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    RunId = table.Column<Guid>(type: "uuid", nullable: true),
                    CheckedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DriftWindows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DriftWindows_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EnrollmentHealth",
                columns: table => new
                {
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Drift = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    DriftNote = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    DriftDay = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Decay = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    DecayNote = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Sla = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    SlaNote = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrollmentHealth", x => x.EnrollmentId);
                    table.ForeignKey(
                        name: "FK_EnrollmentHealth_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EnrollmentMonitoring",
                columns: table => new
                {
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    PsiWarning = table.Column<double>(type: "double precision", nullable: false),
                    PsiDrift = table.Column<double>(type: "double precision", nullable: false),
                    PValue = table.Column<double>(type: "double precision", nullable: false),
                    MinRows = table.Column<int>(type: "integer", nullable: false),
                    DatasetDriftShare = table.Column<double>(type: "double precision", nullable: false),
                    MaxWindowDays = table.Column<int>(type: "integer", nullable: false),
                    DecayWarning = table.Column<double>(type: "double precision", nullable: false),
                    DecayAlert = table.Column<double>(type: "double precision", nullable: false),
                    DecayWindowDays = table.Column<int>(type: "integer", nullable: false),
                    DecayMinLabels = table.Column<int>(type: "integer", nullable: false),
                    MaxModelAgeDays = table.Column<int>(type: "integer", nullable: true),
                    BatchDeadlineMinutes = table.Column<int>(type: "integer", nullable: true),
                    PredictP99BudgetMs = table.Column<double>(type: "double precision", nullable: true),
                    RetrainOnDrift = table.Column<bool>(type: "boolean", nullable: false),
                    RetrainOnDecay = table.Column<bool>(type: "boolean", nullable: false),
                    RetrainCooldownHours = table.Column<int>(type: "integer", nullable: false),
                    LastAutoRetrainAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrollmentMonitoring", x => x.EnrollmentId);
                    table.ForeignKey(
                        name: "FK_EnrollmentMonitoring_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PerformanceWindows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    WindowStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Metric = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "double precision", nullable: true),
                    Expected = table.Column<double>(type: "double precision", nullable: false),
                    HigherIsBetter = table.Column<bool>(type: "boolean", nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CheckedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PerformanceWindows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PerformanceWindows_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PredictLatencyDays",
                columns: table => new
                {
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Buckets = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PredictLatencyDays", x => new { x.EnrollmentId, x.Day, x.Node });
                    table.ForeignKey(
                        name: "FK_PredictLatencyDays_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SlaResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Met = table.Column<bool>(type: "boolean", nullable: false),
                    Measured = table.Column<double>(type: "double precision", nullable: true),
                    Limit = table.Column<double>(type: "double precision", nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CheckedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SlaResults_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DriftFeatureResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WindowId = table.Column<Guid>(type: "uuid", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Feature = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Psi = table.Column<double>(type: "double precision", nullable: true),
                    Test = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Statistic = table.Column<double>(type: "double precision", nullable: true),
                    PValue = table.Column<double>(type: "double precision", nullable: true),
                    Rows = table.Column<long>(type: "bigint", nullable: false),
                    Missing = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    HistogramJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DriftFeatureResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DriftFeatureResults_DriftWindows_WindowId",
                        column: x => x.WindowId,
                        principalTable: "DriftWindows",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DriftFeatureResults_EnrollmentId_Feature",
                table: "DriftFeatureResults",
                columns: new[] { "EnrollmentId", "Feature" });

            migrationBuilder.CreateIndex(
                name: "IX_DriftFeatureResults_WindowId_Feature",
                table: "DriftFeatureResults",
                columns: new[] { "WindowId", "Feature" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DriftWindows_Day",
                table: "DriftWindows",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_DriftWindows_EnrollmentId_Source_Day",
                table: "DriftWindows",
                columns: new[] { "EnrollmentId", "Source", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PerformanceWindows_EnrollmentId_Kind_Metric_Day",
                table: "PerformanceWindows",
                columns: new[] { "EnrollmentId", "Kind", "Metric", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaResults_EnrollmentId_Kind_Day",
                table: "SlaResults",
                columns: new[] { "EnrollmentId", "Kind", "Day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DriftFeatureResults");

            migrationBuilder.DropTable(
                name: "EnrollmentHealth");

            migrationBuilder.DropTable(
                name: "EnrollmentMonitoring");

            migrationBuilder.DropTable(
                name: "PerformanceWindows");

            migrationBuilder.DropTable(
                name: "PredictLatencyDays");

            migrationBuilder.DropTable(
                name: "SlaResults");

            migrationBuilder.DropTable(
                name: "DriftWindows");
        }
    }
}
