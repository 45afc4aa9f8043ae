using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Predictions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Backfills",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<DateTime>(type: "TEXT", nullable: false),
                    To = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Backfills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Backfills_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Outcomes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntityKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outcomes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Outcomes_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PredictionLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EntityKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Inputs = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PredictionLog", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PredictionLog_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Predictions",
                columns: table => new
                {
                    PartitionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: false),
                    EntityKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AsOf = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ClassScores = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Predictions", x => new { x.PartitionId, x.Row });
                });

            migrationBuilder.CreateTable(
                name: "PredictionPartitions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BackfillId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Models = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RowCount = table.Column<long>(type: "INTEGER", nullable: false),
                    SkippedRows = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PredictionPartitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PredictionPartitions_Backfills_BackfillId",
                        column: x => x.BackfillId,
                        principalTable: "Backfills",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PredictionPartitions_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Backfills_EnrollmentId_CreatedAt",
                table: "Backfills",
                columns: new[] { "EnrollmentId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Backfills_RunId",
                table: "Backfills",
                column: "RunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Outcomes_EnrollmentId_EntityKey_OccurredAt",
                table: "Outcomes",
                columns: new[] { "EnrollmentId", "EntityKey", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Outcomes_EnrollmentId_OccurredAt",
                table: "Outcomes",
                columns: new[] { "EnrollmentId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionLog_EnrollmentId_At",
                table: "PredictionLog",
                columns: new[] { "EnrollmentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionLog_EnrollmentId_EntityKey",
                table: "PredictionLog",
                columns: new[] { "EnrollmentId", "EntityKey" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionPartitions_BackfillId",
                table: "PredictionPartitions",
                column: "BackfillId");

            migrationBuilder.CreateIndex(
                name: "IX_PredictionPartitions_EnrollmentId_Key_State",
                table: "PredictionPartitions",
                columns: new[] { "EnrollmentId", "Key", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionPartitions_RunId",
                table: "PredictionPartitions",
                column: "RunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Outcomes");

            migrationBuilder.DropTable(
                name: "PredictionLog");

            migrationBuilder.DropTable(
                name: "PredictionPartitions");

            migrationBuilder.DropTable(
                name: "Predictions");

            migrationBuilder.DropTable(
                name: "Backfills");
        }
    }
}
